package dev.cycletrack.core.image;

import java.util.Objects;

/**
 * A per-pixel object-id map, row-major: pixel (x, y) has id {@code ids[y * width + x]}; 0 is
 * background. Annotation PNGs, propagated masks and predictions all use it.
 */
public record IdMap(int width, int height, int[] ids) {

    public IdMap {
        Objects.requireNonNull(ids, "ids");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label map size must be positive: " + width + "x" + height);
        }
        if ((long) width * height != ids.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " label map needs "
                    + ((long) width * height) + " ids, got " + ids.length);
        }
    }

    public int id(int x, int y) {
        return ids[y * width + x];
    }

    /** Number of pixels with a non-zero id (the foreground area of a binary mask). */
    public int nonZeroCount() {
        int n = 0;
        for (int id : ids) {
            if (id != 0) {
                n++;
            }
        }
        return n;
    }

    /** Number of pixels with exactly this id. */
    public int count(int id) {
        int n = 0;
        for (int v : ids) {
            if (v == id) {
                n++;
            }
        }
        return n;
    }

    /** Largest id present (0 for an all-background map). */
    public int maxId() {
        int max = 0;
        for (int id : ids) {
            max = Math.max(max, id);
        }
        return max;
    }
}
