package dev.cycletrack.core.tensor;

import java.util.Objects;

/**
 * Soft labels on an h x w grid: {@code channels} values per cell (channel 0 is background), stored
 * node-major like {@link FeatureMap}: cell n = i * width + j holds {@code data[n * channels .. (n + 1)
 * * channels)}.
 */
public record LabelMap(int height, int width, int channels, float[] data) {

    public LabelMap {
        Objects.requireNonNull(data, "data");
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "label map dimensions must be positive: " + height + "x" + width + "x" + channels);
        }
        if ((long) height * width * channels != data.length) {
            throw new IllegalArgumentException("label map of " + height + "x" + width + "x" + channels + " needs "
                    + ((long) height * width * channels) + " values, got " + data.length);
        }
    }

    public static LabelMap zeros(int height, int width, int channels) {
        return new LabelMap(height, width, channels, new float[height * width * channels]);
    }

    public int nodes() {
        return height * width;
    }

    public float get(int row, int col, int channel) {
        return data[(row * width + col) * channels + channel];
    }

    /** Channel {@code c} as a row-major h x w plane. */
    public float[] plane(int channel) {
        float[] out = new float[nodes()];
        for (int n = 0; n < out.length; n++) {
            out[n] = data[n * channels + channel];
        }
        return out;
    }

    /** Builds a node-major map from channel-first data {@code [C][H][W]}. */
    public static LabelMap fromChannelFirst(int channels, int height, int width, float[] chw) {
        FeatureMap f = FeatureMap.fromChannelFirst(channels, height, width, chw);
        return new LabelMap(height, width, channels, f.data());
    }

    /** Channel-first copy {@code [C][H][W]}. */
    public float[] toChannelFirst() {
        return new FeatureMap(height, width, channels, data).toChannelFirst();
    }

    public long byteSize() {
        return 4L * data.length;
    }
}
