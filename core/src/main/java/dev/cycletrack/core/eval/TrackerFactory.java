package dev.cycletrack.core.eval;

import dev.cycletrack.core.baselines.FarnebackMaskTracker;
import dev.cycletrack.core.baselines.IdentityKeypointTracker;
import dev.cycletrack.core.baselines.IdentityMaskTracker;
import dev.cycletrack.core.baselines.LucasKanadeKeypointTracker;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.core.tracking.BaselineTrackers;
import dev.cycletrack.core.tracking.KeypointTask;
import dev.cycletrack.core.tracking.MaskTask;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.core.tracking.PropagationTracker;
import dev.cycletrack.core.tracking.VideoTracker;
import java.util.List;

/** Makes a fresh tracker per sequence for the chosen method. */
public final class TrackerFactory {

    private final EvalMethod method;
    private final Encoder encoder;
    private final PropagationSettings settings;
    private final Propagator propagator;

    public TrackerFactory(EvalMethod method, Encoder encoder, PropagationSettings settings) {
        this(method, encoder, settings, Propagator.windowed());
    }

    /** @param encoder required for {@code random} and {@code model}, ignored otherwise */
    public TrackerFactory(EvalMethod method, Encoder encoder, PropagationSettings settings, Propagator propagator) {
        if (method.usesEncoder() && encoder == null) {
            throw new IllegalArgumentException("method " + method.id() + " needs an encoder");
        }
        this.method = method;
        this.encoder = encoder;
        this.settings = settings;
        this.propagator = propagator;
    }

    public VideoTracker<IdMap> masks() {
        return switch (method) {
            case IDENTITY -> BaselineTrackers.masks(new IdentityMaskTracker());
            case LK -> BaselineTrackers.masks(new FarnebackMaskTracker());
            case RANDOM, MODEL -> new PropagationTracker<>(encoder, settings, propagator, new MaskTask());
        };
    }

    public VideoTracker<List<Keypoint>> keypoints() {
        return switch (method) {
            case IDENTITY -> BaselineTrackers.keypoints(new IdentityKeypointTracker());
            case LK -> BaselineTrackers.keypoints(new LucasKanadeKeypointTracker());
            case RANDOM, MODEL -> new PropagationTracker<>(encoder, settings, propagator, new KeypointTask());
        };
    }

    public EvalMethod method() {
        return method;
    }

    public PropagationSettings settings() {
        return settings;
    }
}
