package dev.cycletrack.core.tracking;

import dev.cycletrack.core.tensor.LabelMap;

/** How a kind of label becomes soft labels on the feature grid and back (SPEC 2.3). */
public interface LabelTask<L> {

    /** Binds the codec to one video: its first labels and geometry fix the channels. */
    Bound<L> bind(L labels0, FrameGeometry geometry);

    /** A codec bound to one video. */
    interface Bound<L> {
        LabelMap encodeFirst();

        L decode(LabelMap soft);
    }
}
