package dev.cycletrack.core.eval;

import java.util.Locale;

/** What labels a video: the two trackers without learning, and label propagation with an encoder. */
public enum EvalMethod {
    /** Every frame keeps frame 0's labels. */
    IDENTITY,
    /** OpenCV optical flow: pyramidal Lucas-Kanade for keypoints, Farneback warping for masks. */
    LK,
    /** Label propagation with the encoder at a fixed-seed random initialisation: the floor to beat. */
    RANDOM,
    /** Label propagation with a trained model artifact. */
    MODEL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean usesEncoder() {
        return this == RANDOM || this == MODEL;
    }

    public static EvalMethod parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + text + "': expected identity, lk, random or model");
        }
    }
}
