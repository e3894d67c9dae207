package dev.cycletrack.trainer.geometry;

import java.util.SplittableRandom;

/**
 * The track-level spatial transform of SPEC 3.1: a random resized crop of the box [x0, x0+w-1] x [y0,
 * y0+h-1] of a {@code width x height} frame onto an {@code size x size} output, then an optional exact
 * horizontal mirror. All frames of a track share one. {@link #matrix()} is B = Fl * C (or C), the map from
 * the original frame to the crop in normalised coordinates.
 */
public record TrackCrop(int width, int height, int size, int x0, int y0, int w, int h, boolean flip) {

    public TrackCrop {
        if (width < 2 || height < 2 || size < 2) {
            throw new IllegalArgumentException("frame and output must be at least 2x2");
        }
        if (w < 2 || h < 2 || x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop box (" + x0 + ", " + y0 + ", " + w + "x" + h + ") does not fit a "
                    + width + "x" + height + " frame (or is under 2 px)");
        }
    }

    /** The whole frame, no flip (the "crop" of vanilla FC3 when no spatial transform is wanted). */
    public static TrackCrop whole(int width, int height, int size) {
        return new TrackCrop(width, height, size, 0, 0, width, height, false);
    }

    /**
     * Draws a crop as the reference does: area A ~ U(scaleLo, scaleHi) * W * H, aspect a = exp(U(log
     * ratioLo, log ratioHi)), w = int(sqrt(A a)), h = int(sqrt(A / a)); 10 tries for 0 < w < W and 0 < h
     * < H (strict), else the whole frame; x0 = floor(U(0, W - w + 1)), y0 likewise; then a flip with
     * probability {@code flipProbability}.
     */
    public static TrackCrop sample(
            SplittableRandom rng,
            int width,
            int height,
            int size,
            double scaleLo,
            double scaleHi,
            double ratioLo,
            double ratioHi,
            double flipProbability) {
        int w = width;
        int h = height;
        int x0 = 0;
        int y0 = 0;
        double area = (double) width * height;
        double logLo = Math.log(ratioLo);
        double logHi = Math.log(ratioHi);
        for (int attempt = 0; attempt < 10; attempt++) {
            double a = area * uniform(rng, scaleLo, scaleHi);
            double aspect = Math.exp(uniform(rng, logLo, logHi));
            int cw = (int) Math.sqrt(a * aspect);
            int ch = (int) Math.sqrt(a / aspect);
            if (cw > 1 && cw < width && ch > 1 && ch < height) {
                w = cw;
                h = ch;
                x0 = (int) Math.floor(uniform(rng, 0, width - w + 1));
                y0 = (int) Math.floor(uniform(rng, 0, height - h + 1));
                x0 = Math.min(x0, width - w);
                y0 = Math.min(y0, height - h);
                break;
            }
        }
        boolean flip = flipProbability > 0 && rng.nextDouble() < flipProbability;
        return new TrackCrop(width, height, size, x0, y0, w, h, flip);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }

    /** The crop alone in normalised coordinates, C of SPEC 3.1 (original frame -> crop). */
    public Affine cropMatrix() {
        double wm1 = width - 1.0;
        double hm1 = height - 1.0;
        return Affine.of2x3(
                wm1 / (w - 1.0),
                0,
                (wm1 - 2.0 * x0) / (w - 1.0) - 1,
                0,
                hm1 / (h - 1.0),
                (hm1 - 2.0 * y0) / (h - 1.0) - 1);
    }

    /** B = Fl * C with a flip, else C. */
    public Affine matrix() {
        Affine c = cropMatrix();
        return flip ? Affine.FLIP_X.times(c) : c;
    }

    /** The fraction of the frame's area inside the box. */
    public double areaFraction() {
        return (double) w * h / ((double) width * height);
    }

    /**
     * Applies the crop to a planar float image (channels x height x width, row-major): output pixel (u,
     * v) reads the frame at x = x0 + u (w-1)/(S-1), y = y0 + v (h-1)/(S-1), bilinearly (exactly the
     * sampler with matrix B^-1); a flip then mirrors u -> S-1-u.
     */
    public float[] apply(float[] planes, int channels) {
        if (planes.length != channels * width * height) {
            throw new IllegalArgumentException(
                    "expected " + channels + "x" + height + "x" + width + " values, got " + planes.length);
        }
        int s = size;
        float[] out = new float[channels * s * s];
        double sx = (w - 1.0) / (s - 1.0);
        double sy = (h - 1.0) / (s - 1.0);
        int[] xa = new int[s];
        int[] xb = new int[s];
        float[] fx = new float[s];
        for (int u = 0; u < s; u++) {
            double x = x0 + u * sx;
            int a = Math.min((int) Math.floor(x), width - 1);
            int b = Math.min(a + 1, width - 1);
            int dst = flip ? s - 1 - u : u;
            xa[dst] = a;
            xb[dst] = b;
            fx[dst] = (float) (x - a);
        }
        int plane = width * height;
        for (int v = 0; v < s; v++) {
            double y = y0 + v * sy;
            int ya = Math.min((int) Math.floor(y), height - 1);
            int yb = Math.min(ya + 1, height - 1);
            float fy = (float) (y - ya);
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                int ra = base + ya * width;
                int rb = base + yb * width;
                int o = c * s * s + v * s;
                for (int u = 0; u < s; u++) {
                    float top = planes[ra + xa[u]] + fx[u] * (planes[ra + xb[u]] - planes[ra + xa[u]]);
                    float bot = planes[rb + xa[u]] + fx[u] * (planes[rb + xb[u]] - planes[rb + xa[u]]);
                    out[o + u] = top + fy * (bot - top);
                }
            }
        }
        return out;
    }
}
