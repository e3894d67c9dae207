package dev.cycletrack.core.tracking;

import dev.cycletrack.core.image.RgbImage;

/**
 * Labels a video frame by frame: {@link #start} with frame 0 and its labels, then {@link #next} once
 * per later frame, in order. {@code L} is the label type: {@link dev.cycletrack.core.image.IdMap}
 * for masks, a list of {@link dev.cycletrack.core.codec.Keypoint}s for keypoints.
 */
public interface VideoTracker<L> extends AutoCloseable {

    /** Starts a video; returns frame 0's output (its labels as the tracker represents them). */
    L start(RgbImage frame0, L labels0);

    /** The labels of the next frame. */
    L next(RgbImage frame);

    /** Time spent in each stage for the last frame, in nanoseconds (empty when not measured). */
    default StageTimes lastTimes() {
        return StageTimes.NONE;
    }

    @Override
    default void close() {}
}
