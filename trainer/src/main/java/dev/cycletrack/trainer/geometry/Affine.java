package dev.cycletrack.trainer.geometry;

import java.util.Arrays;
import java.util.Locale;

/**
 * A 3x3 matrix acting on homogeneous 2-D points (x, y, 1): the crop, flip and warp maps of SPEC 3.1-3.2,
 * always in normalised coordinates (align_corners = true: -1 is the centre of the first pixel or cell, +1
 * the centre of the last). Immutable; row-major.
 */
public final class Affine {

    public static final Affine IDENTITY = new Affine(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    /** The horizontal flip in normalised coordinates, diag(-1, 1, 1). */
    public static final Affine FLIP_X = new Affine(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] m;

    private Affine(double[] m) {
        this.m = m;
    }

    /** From nine row-major values. */
    public static Affine of(double... rowMajor) {
        if (rowMajor.length != 9) {
            throw new IllegalArgumentException("a 3x3 matrix needs 9 values, got " + rowMajor.length);
        }
        return new Affine(rowMajor.clone());
    }

    /** From the 2x3 affine part (the last row is 0 0 1). */
    public static Affine of2x3(double a, double b, double c, double d, double e, double f) {
        return new Affine(new double[] {a, b, c, d, e, f, 0, 0, 1});
    }

    public double get(int row, int col) {
        return m[row * 3 + col];
    }

    /** this * other: apply {@code other} first, then this. */
    public Affine times(Affine other) {
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += m[i * 3 + k] * other.m[k * 3 + j];
                }
                r[i * 3 + j] = s;
            }
        }
        return new Affine(r);
    }

    public Affine inverse() {
        double a = m[0], b = m[1], c = m[2];
        double d = m[3], e = m[4], f = m[5];
        double g = m[6], h = m[7], i = m[8];
        double ca = e * i - f * h;
        double cb = -(d * i - f * g);
        double cc = d * h - e * g;
        double det = a * ca + b * cb + c * cc;
        if (Math.abs(det) < 1e-300 || !Double.isFinite(det)) {
            throw new ArithmeticException("matrix is singular: " + this);
        }
        double[] r = {
            ca / det, -(b * i - c * h) / det, (b * f - c * e) / det,
            cb / det, (a * i - c * g) / det, -(a * f - c * d) / det,
            cc / det, -(a * h - b * g) / det, (a * e - b * d) / det
        };
        return new Affine(r);
    }

    /** The image of point (x, y): {x', y'} (the matrices here are affine, so no perspective divide). */
    public double[] apply(double x, double y) {
        return new double[] {m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
    }

    /** Rows 0..1 as six values (a b c / d e f), the form a sampler takes. */
    public double[] rows2x3() {
        return Arrays.copyOf(m, 6);
    }

    public boolean approxEquals(Affine o, double tol) {
        for (int k = 0; k < 9; k++) {
            if (Math.abs(m[k] - o.m[k]) > tol) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sampler matrix of SPEC 3.2: Theta = B_f * inverse(B_b), mapping backward-crop normalised
     * coordinates to forward-crop ones (output -> input, as a bilinear sampler needs).
     */
    public static Affine samplerTheta(Affine forward, Affine backward) {
        return forward.times(backward.inverse());
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "[[%.6g, %.6g, %.6g], [%.6g, %.6g, %.6g], [%.6g, %.6g, %.6g]]",
                m[0],
                m[1],
                m[2],
                m[3],
                m[4],
                m[5],
                m[6],
                m[7],
                m[8]);
    }
}
