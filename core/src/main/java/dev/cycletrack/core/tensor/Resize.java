package dev.cycletrack.core.tensor;

/**
 * Resampling of float planes with OpenCV's conventions, so that label maps match the reference
 * bit for bit where it matters (argmax decisions):
 *
 * <ul>
 *   <li>bilinear = cv2 INTER_LINEAR: output index d reads the input at s = (d + 0.5) * in/out - 0.5,
 *       clamped to [0, in-1], no antialiasing even when shrinking;
 *   <li>nearest = cv2 INTER_NEAREST: s = floor(d * in/out), clamped to in-1.
 * </ul>
 */
public final class Resize {

    private Resize() {}

    /** Bilinear resize of a row-major {@code inH x inW} plane to {@code outH x outW}. */
    public static float[] bilinear(float[] plane, int inH, int inW, int outH, int outW) {
        checkPlane(plane.length, inH, inW);
        Axis xs = Axis.linear(inW, outW);
        Axis ys = Axis.linear(inH, outH);
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            int r0 = ys.index[y] * inW;
            int r1 = ys.index2[y] * inW;
            double fy = ys.frac[y];
            for (int x = 0; x < outW; x++) {
                int x0 = xs.index[x];
                int x1 = xs.index2[x];
                double fx = xs.frac[x];
                double top = plane[r0 + x0] * (1 - fx) + plane[r0 + x1] * fx;
                double bottom = plane[r1 + x0] * (1 - fx) + plane[r1 + x1] * fx;
                out[y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** Nearest-neighbour resize of an id map. */
    public static int[] nearest(int[] plane, int inH, int inW, int outH, int outW) {
        checkPlane(plane.length, inH, inW);
        int[] out = new int[outH * outW];
        double sy = (double) inH / outH;
        double sx = (double) inW / outW;
        for (int y = 0; y < outH; y++) {
            int iy = Math.min((int) Math.floor(y * sy), inH - 1);
            for (int x = 0; x < outW; x++) {
                int ix = Math.min((int) Math.floor(x * sx), inW - 1);
                out[y * outW + x] = plane[iy * inW + ix];
            }
        }
        return out;
    }

    private static void checkPlane(int length, int h, int w) {
        if (h <= 0 || w <= 0 || (long) h * w != length) {
            throw new IllegalArgumentException("plane of " + length + " values is not " + h + "x" + w);
        }
    }

    /** Per output index: the two input indices read and the weight of the second. */
    public record Axis(int[] index, int[] index2, double[] frac) {

        public static Axis linear(int in, int out) {
            int[] i0 = new int[out];
            int[] i1 = new int[out];
            double[] f = new double[out];
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = (d + 0.5) * scale - 0.5;
                int si = (int) Math.floor(s);
                double fr = s - si;
                if (si < 0) {
                    si = 0;
                    fr = 0;
                }
                if (si >= in - 1) {
                    si = in - 1;
                    fr = 0;
                }
                i0[d] = si;
                i1[d] = Math.min(si + 1, in - 1);
                f[d] = fr;
            }
            return new Axis(i0, i1, f);
        }
    }
}
