package dev.cycletrack.core.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the trunk's convolutions with padding > 0 (the 7x7 stem conv and every 3x3 conv) treat the
 * image border (SPEC 1, "Padding modes"). 1x1 convs never pad.
 */
public enum PaddingMode {
    /** Mirror without repeating the edge: d c b | a b c d | c b a. STFC3's default. */
    REFLECT,
    /** Zeros, PyTorch's default. */
    ZERO,
    /** Repeat the edge value. */
    REPLICATE,
    /**
     * No padding at all, the maxpool included: every 3x3 conv shrinks the map by 2 and residual
     * shortcuts are centre-cropped to the main branch (the "No Padding" ablation).
     */
    NONE;

    public static final PaddingMode DEFAULT = REFLECT;

    /** The lower-case name used in model.json and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an {@link #id()}; the message lists the accepted names. */
    public static PaddingMode fromId(String id) {
        for (PaddingMode mode : values()) {
            if (mode.id().equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown padding mode '" + id + "' (expected one of "
                + Arrays.stream(values()).map(PaddingMode::id).collect(Collectors.joining(", ")) + ")");
    }
}
