package dev.cycletrack.core.image;

import java.util.Objects;

/**
 * An 8-bit single-channel image, row-major: pixel (x, y) is {@code gray[y * width + x]}. What the
 * optical-flow baselines consume; kept as plain Java bytes so that no native memory outlives a call.
 */
public record GrayImage(int width, int height, byte[] gray) {

    public GrayImage {
        Objects.requireNonNull(gray, "gray");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if ((long) width * height != gray.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " gray image needs "
                    + ((long) width * height) + " bytes, got " + gray.length);
        }
    }

    /** Pixel value in 0..255. */
    public int value(int x, int y) {
        return gray[y * width + x] & 0xff;
    }
}
