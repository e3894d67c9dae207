package dev.cycletrack.core.tracking;

import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.GridSize;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.propagation.PropagationContext;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;

/**
 * Tracks labels with the encoder's features and top-k label propagation: the offline form of what
 * the stream processor does per stream. The encoder is shared and not closed here.
 */
public final class PropagationTracker<L> implements VideoTracker<L> {

    private final Encoder encoder;
    private final PropagationSettings settings;
    private final Propagator propagator;
    private final LabelTask<L> task;
    private FrameGeometry geometry;
    private LabelTask.Bound<L> codec;
    private PropagationContext context;
    private StageTimes last = StageTimes.NONE;

    public PropagationTracker(Encoder encoder, PropagationSettings settings, Propagator propagator, LabelTask<L> task) {
        this.encoder = encoder;
        this.settings = settings;
        this.propagator = propagator;
        this.task = task;
    }

    public PropagationTracker(Encoder encoder, PropagationSettings settings, LabelTask<L> task) {
        this(encoder, settings, Propagator.windowed(), task);
    }

    @Override
    public L start(RgbImage frame0, L labels0) {
        int[] size = settings.inputSize().apply(frame0.width(), frame0.height());
        GridSize grid = encoder.gridSize(size[1], size[0]);
        geometry = new FrameGeometry(
                frame0.width(), frame0.height(), size[0], size[1], grid.height(), grid.width(), encoder.stride());
        codec = task.bind(labels0, geometry);
        long t0 = System.nanoTime();
        FeatureMap features = encode(frame0);
        long t1 = System.nanoTime();
        LabelMap first = codec.encodeFirst();
        context = PropagationContext.start(settings.params(), propagator, features, first);
        long t2 = System.nanoTime();
        L out = codec.decode(first);
        last = new StageTimes(t1 - t0, t2 - t1, System.nanoTime() - t2);
        return out;
    }

    @Override
    public L next(RgbImage frame) {
        if (context == null) {
            throw new IllegalStateException("next() before start()");
        }
        if (frame.width() != geometry.imageWidth() || frame.height() != geometry.imageHeight()) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height()
                    + " but the video started at " + geometry.imageWidth() + "x" + geometry.imageHeight());
        }
        long t0 = System.nanoTime();
        FeatureMap features = encode(frame);
        long t1 = System.nanoTime();
        LabelMap soft = context.step(features);
        long t2 = System.nanoTime();
        L out = codec.decode(soft);
        last = new StageTimes(t1 - t0, t2 - t1, System.nanoTime() - t2);
        return out;
    }

    private FeatureMap encode(RgbImage frame) {
        RgbImage input = frame.width() == geometry.processedWidth() && frame.height() == geometry.processedHeight()
                ? frame
                : Images.resizeBilinear(frame, geometry.processedWidth(), geometry.processedHeight());
        return encoder.encode(input);
    }

    /** The current propagation context (null before {@link #start}). */
    public PropagationContext context() {
        return context;
    }

    public FrameGeometry geometry() {
        return geometry;
    }

    @Override
    public StageTimes lastTimes() {
        return last;
    }
}
