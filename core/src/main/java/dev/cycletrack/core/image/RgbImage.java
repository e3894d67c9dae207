package dev.cycletrack.core.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, row-major and interleaved: pixel (x, y) channel c is {@code rgb[(y * width + x)
 * * 3 + c]} (c = 0 red, 1 green, 2 blue). The one image type passed between decoding, the encoder and
 * the baselines.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + (3L * width * height)
                    + " bytes, got " + rgb.length);
        }
    }

    /** Channel value in 0..255. */
    public int value(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xff;
    }
}
