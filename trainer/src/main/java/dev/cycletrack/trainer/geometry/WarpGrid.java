package dev.cycletrack.trainer.geometry;

/**
 * Where a bilinear sampler reads, for one sampler matrix Theta (output normalised coordinates -> input
 * normalised coordinates), align_corners = true, zero padding (SPEC 3.2). For output cell (i, j) of an
 * {@code outH x outW} grid: (x_n, y_n) = (-1 + 2j/(outW-1), -1 + 2i/(outH-1)); (x_s, y_s) = Theta (x_n, y_n,
 * 1); input cell coordinates cx = (x_s + 1)(inW - 1)/2, cy likewise; the four neighbours get the usual
 * bilinear weights, and a neighbour outside the input counts as a zero vector (its weight is set to 0 and
 * its index to 0).
 *
 * <p>Because the read positions depend only on Theta (data, not parameters), the warp is a fixed linear
 * map of the features: {@link #index} and {@link #weight} describe it completely, 4 entries per output
 * cell, neighbour-major: entry {@code k * P + p} for neighbour k (0: top-left, 1: top-right, 2:
 * bottom-left, 3: bottom-right) of output cell p = i * outW + j.
 */
public final class WarpGrid {

    public static final int NEIGHBOURS = 4;

    private final int outH;
    private final int outW;
    private final int inH;
    private final int inW;
    private final int[] index;
    private final float[] weight;
    private final float[] ones;
    private final double[] sourceX;
    private final double[] sourceY;

    private WarpGrid(int outH, int outW, int inH, int inW, double[] theta) {
        if (outH < 2 || outW < 2 || inH < 2 || inW < 2) {
            throw new IllegalArgumentException("warp grids need at least 2x2 cells (got out " + outH + "x" + outW
                    + ", in " + inH + "x" + inW + ")");
        }
        this.outH = outH;
        this.outW = outW;
        this.inH = inH;
        this.inW = inW;
        int p = outH * outW;
        index = new int[NEIGHBOURS * p];
        weight = new float[NEIGHBOURS * p];
        ones = new float[p];
        sourceX = new double[p];
        sourceY = new double[p];
        for (int i = 0; i < outH; i++) {
            double yn = -1 + 2.0 * i / (outH - 1);
            for (int j = 0; j < outW; j++) {
                double xn = -1 + 2.0 * j / (outW - 1);
                double xs = theta[0] * xn + theta[1] * yn + theta[2];
                double ys = theta[3] * xn + theta[4] * yn + theta[5];
                double cx = (xs + 1) * (inW - 1) / 2.0;
                double cy = (ys + 1) * (inH - 1) / 2.0;
                int cell = i * outW + j;
                sourceX[cell] = cx;
                sourceY[cell] = cy;
                int x0 = (int) Math.floor(cx);
                int y0 = (int) Math.floor(cy);
                double ax = cx - x0;
                double ay = cy - y0;
                double[] wx = {1 - ax, ax};
                double[] wy = {1 - ay, ay};
                double sumX = 0;
                double sumY = 0;
                for (int d = 0; d < 2; d++) {
                    if (inside(x0 + d, inW)) {
                        sumX += wx[d];
                    }
                    if (inside(y0 + d, inH)) {
                        sumY += wy[d];
                    }
                }
                ones[cell] = (float) (sumX * sumY);
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int k = dy * 2 + dx;
                        int x = x0 + dx;
                        int y = y0 + dy;
                        int e = k * p + cell;
                        if (inside(x, inW) && inside(y, inH)) {
                            index[e] = y * inW + x;
                            weight[e] = (float) (wx[dx] * wy[dy]);
                        }
                    }
                }
            }
        }
    }

    private static boolean inside(int v, int n) {
        return v >= 0 && v < n;
    }

    /** The grid for sampler matrix {@code theta} (output -> input), from an input of inH x inW to outH x outW. */
    public static WarpGrid of(Affine theta, int outH, int outW, int inH, int inW) {
        return new WarpGrid(outH, outW, inH, inW, theta.rows2x3());
    }

    /** Same-size grids (the feature warp: backward grid from forward grid of one size). */
    public static WarpGrid of(Affine theta, int h, int w) {
        return of(theta, h, w, h, w);
    }

    public int outHeight() {
        return outH;
    }

    public int outWidth() {
        return outW;
    }

    public int inHeight() {
        return inH;
    }

    public int inWidth() {
        return inW;
    }

    /** Output cells P. */
    public int cells() {
        return outH * outW;
    }

    /** Input index per (neighbour, output cell); 0 where the neighbour is outside (its weight is 0 then). */
    public int[] index() {
        return index.clone();
    }

    /** Bilinear weight per (neighbour, output cell); 0 for neighbours outside the input. */
    public float[] weight() {
        return weight.clone();
    }

    /** The warped map of ones: wx * wy with the out-of-range neighbours dropped. */
    public float[] warpedOnes() {
        return ones.clone();
    }

    /** The mask of SPEC 3.2: 1 where the warped map of ones is strictly above 0.5, else 0. */
    public float[] mask() {
        float[] m = new float[ones.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = ones[k] > 0.5f ? 1f : 0f;
        }
        return m;
    }

    /** Source cell x coordinate (cx) read by output cell p. */
    public double sourceX(int p) {
        return sourceX[p];
    }

    /** Source cell y coordinate (cy) read by output cell p. */
    public double sourceY(int p) {
        return sourceY[p];
    }

    /** Applies the warp to one plane in Java (reference path for tests and image checks). */
    public float[] apply(float[] plane) {
        if (plane.length != inH * inW) {
            throw new IllegalArgumentException(
                    "expected a " + inH + "x" + inW + " plane, got " + plane.length + " values");
        }
        int p = cells();
        float[] out = new float[p];
        for (int k = 0; k < NEIGHBOURS; k++) {
            for (int c = 0; c < p; c++) {
                out[c] += weight[k * p + c] * plane[index[k * p + c]];
            }
        }
        return out;
    }
}
