package dev.cycletrack.core.baselines;

import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.IdMap;

/**
 * Propagates an object-id map through a video one frame at a time: {@link #init} with the seed frame
 * and its labels (0 = background), then {@link #step} once per later frame, in order.
 */
public interface MaskTracker extends AutoCloseable {

    void init(GrayImage seedFrame, IdMap seedLabels);

    /** The predicted id map of the next frame, at the frame's size. */
    IdMap step(GrayImage frame);

    /** Releases native resources; the tracker must be re-initialised before further use. */
    @Override
    default void close() {}
}
