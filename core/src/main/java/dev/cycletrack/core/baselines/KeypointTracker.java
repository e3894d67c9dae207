package dev.cycletrack.core.baselines;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.GrayImage;
import java.util.List;

/**
 * Propagates keypoints through a video one frame at a time: {@link #init} with the seed frame and its
 * keypoints, then {@link #step} once per later frame, in order. A keypoint invisible at the seed has
 * no starting position and stays {@link Keypoint#INVISIBLE}.
 */
public interface KeypointTracker extends AutoCloseable {

    void init(GrayImage seedFrame, List<Keypoint> seedKeypoints);

    /** The keypoints in the next frame, in seed order. */
    List<Keypoint> step(GrayImage frame);

    /** Releases native resources; the tracker must be re-initialised before further use. */
    @Override
    default void close() {}
}
