package dev.cycletrack.core.tensor;

import java.util.Objects;

/**
 * A feature map on an h x w grid with {@code channels} values per cell, stored node-major: cell
 * (i, j) is node {@code n = i * width + j} and its vector occupies {@code data[n * channels ..
 * (n + 1) * channels)}. Node-major rows are what the affinity products multiply, so no transpose is
 * needed on the hot path.
 */
public record FeatureMap(int height, int width, int channels, float[] data) {

    public FeatureMap {
        Objects.requireNonNull(data, "data");
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "feature map dimensions must be positive: " + height + "x" + width + "x" + channels);
        }
        if ((long) height * width * channels != data.length) {
            throw new IllegalArgumentException("feature map of " + height + "x" + width + "x" + channels + " needs "
                    + ((long) height * width * channels) + " values, got " + data.length);
        }
    }

    public static FeatureMap zeros(int height, int width, int channels) {
        return new FeatureMap(height, width, channels, new float[height * width * channels]);
    }

    /** Number of grid cells (nodes). */
    public int nodes() {
        return height * width;
    }

    public float get(int row, int col, int channel) {
        return data[(row * width + col) * channels + channel];
    }

    public void set(int row, int col, int channel, float value) {
        data[(row * width + col) * channels + channel] = value;
    }

    /** Builds a node-major map from channel-first data {@code [C][H][W]}. */
    public static FeatureMap fromChannelFirst(int channels, int height, int width, float[] chw) {
        if ((long) channels * height * width != chw.length) {
            throw new IllegalArgumentException("expected " + channels * height * width + " values, got " + chw.length);
        }
        float[] out = new float[chw.length];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < plane; n++) {
                out[n * channels + c] = chw[c * plane + n];
            }
        }
        return new FeatureMap(height, width, channels, out);
    }

    /** Returns the data channel-first, {@code [C][H][W]}. */
    public float[] toChannelFirst() {
        float[] out = new float[data.length];
        int plane = height * width;
        for (int n = 0; n < plane; n++) {
            for (int c = 0; c < channels; c++) {
                out[c * plane + n] = data[n * channels + c];
            }
        }
        return out;
    }

    /** L2-normalises every cell in place: v / max(||v||, 1e-12); a zero vector stays zero. */
    public FeatureMap l2NormaliseInPlace() {
        for (int n = 0; n < nodes(); n++) {
            int base = n * channels;
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += (double) data[base + c] * data[base + c];
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(sum), 1e-12));
            for (int c = 0; c < channels; c++) {
                data[base + c] *= inv;
            }
        }
        return this;
    }

    /** Bytes held by the values. */
    public long byteSize() {
        return 4L * data.length;
    }
}
