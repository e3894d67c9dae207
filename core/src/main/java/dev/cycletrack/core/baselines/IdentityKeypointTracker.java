package dev.cycletrack.core.baselines;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.GrayImage;
import java.util.List;

/** The trivial baseline: every later frame gets the seed keypoints unchanged. */
public final class IdentityKeypointTracker implements KeypointTracker {

    private List<Keypoint> seed;

    @Override
    public void init(GrayImage seedFrame, List<Keypoint> seedKeypoints) {
        seed = seedKeypoints.stream()
                .map(k -> k.visible() ? k : Keypoint.INVISIBLE)
                .toList();
    }

    @Override
    public List<Keypoint> step(GrayImage frame) {
        if (seed == null) {
            throw new IllegalStateException("init must be called before step");
        }
        return seed;
    }
}
