package dev.cycletrack.core.encoder;

import java.util.Arrays;

/**
 * Per-channel (x - mean) / std applied to RGB values scaled to 0..1 (SPEC 1, "Input normalisation").
 * The two phases of the reference code use different constants.
 */
public record InputNormalization(float[] mean, float[] std) {

    /** Test time (label propagation): ImageNet statistics. */
    public static final InputNormalization IMAGENET =
            new InputNormalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** Training: the reference trainer's constants. */
    public static final InputNormalization TRAINING =
            new InputNormalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});

    public InputNormalization {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 means and 3 stds (RGB)");
        }
        mean = mean.clone();
        std = std.clone();
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException(
                        "normalisation needs finite means and positive finite stds, got mean " + Arrays.toString(mean)
                                + ", std " + Arrays.toString(std));
            }
        }
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * The normalised value of every 8-bit level, per channel: {@code table[c][v] = (v / 255 -
     * mean[c]) / std[c]}, computed in float32 as the reference does on tensors.
     */
    float[][] lookupTable() {
        float[][] table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = ((v / 255f) - mean[c]) / std[c];
            }
        }
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputNormalization other
                && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "InputNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
