package dev.cycletrack.trainer.diagnose;

import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;

/**
 * The numbers and pictures behind the paper's Figures 3 and 7: row-softmaxed affinities between two
 * feature maps, the shortcut index, and a 3-component PCA of a feature map.
 */
public final class Diagnostics {

    private Diagnostics() {}

    /**
     * softmax_j(<a_i, b_j> / tau) for every node i of {@code a} over the nodes j of {@code b}: a P x P
     * row-stochastic matrix, row-major.
     */
    public static float[] rowSoftmaxAffinity(FeatureMap a, FeatureMap b, double tau) {
        int p = a.nodes();
        int q = b.nodes();
        int c = a.channels();
        if (c != b.channels()) {
            throw new IllegalArgumentException("feature maps differ in channels: " + c + " vs " + b.channels());
        }
        float[] out = new float[p * q];
        float[] da = a.data();
        float[] db = b.data();
        double[] row = new double[q];
        for (int i = 0; i < p; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < q; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += da[i * c + k] * db[j * c + k];
                }
                row[j] = s / tau;
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < q; j++) {
                row[j] = Math.exp(row[j] - max);
                sum += row[j];
            }
            for (int j = 0; j < q; j++) {
                out[i * q + j] = (float) (row[j] / sum);
            }
        }
        return out;
    }

    /** Mean of the diagonal of a square row-stochastic matrix: the shortcut index when the frames are unrelated. */
    public static double diagonalMass(float[] rowStochastic, int p) {
        double s = 0;
        for (int i = 0; i < p; i++) {
            s += rowStochastic[i * p + i];
        }
        return s / p;
    }

    /** Fraction of rows whose largest entry is on the diagonal. */
    public static double diagonalArgmax(float[] m, int p) {
        int hits = 0;
        for (int i = 0; i < p; i++) {
            int best = 0;
            for (int j = 1; j < p; j++) {
                if (m[i * p + j] > m[i * p + best]) {
                    best = j;
                }
            }
            hits += best == i ? 1 : 0;
        }
        return hits / (double) p;
    }

    /**
     * A heat map of a matrix (rows top to bottom), values scaled by the global maximum with a square-root
     * curve so that faint structure stays visible; dark blue (0) to yellow (max).
     */
    public static RgbImage heatMap(float[] m, int rows, int cols) {
        float max = 0;
        for (float v : m) {
            max = Math.max(max, v);
        }
        byte[] px = new byte[rows * cols * 3];
        for (int i = 0; i < rows * cols; i++) {
            double t = max > 0 ? Math.sqrt(Math.max(0, m[i]) / max) : 0;
            int[] rgb = colour(t);
            px[3 * i] = (byte) rgb[0];
            px[3 * i + 1] = (byte) rgb[1];
            px[3 * i + 2] = (byte) rgb[2];
        }
        return new RgbImage(cols, rows, px);
    }

    /** A viridis-like ramp. */
    static int[] colour(double t) {
        double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(x));
        double f = x - i;
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (int) Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]));
        }
        return out;
    }

    /**
     * The first three principal components of the feature map's cells (centred; power iteration with
     * deflation on the C x C covariance), each min-max scaled to 0..255 and shown as R, G, B: an h x w
     * image. Also returns the explained-variance fractions in {@code explained} (length 3) if non-null.
     */
    public static RgbImage pcaImage(FeatureMap f, double[] explained) {
        int n = f.nodes();
        int c = f.channels();
        float[] d = f.data();
        double[] mean = new double[c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                mean[k] += d[i * c + k];
            }
        }
        for (int k = 0; k < c; k++) {
            mean[k] /= n;
        }
        double[][] cov = new double[c][c];
        double[] x = new double[c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                x[k] = d[i * c + k] - mean[k];
            }
            for (int a = 0; a < c; a++) {
                double xa = x[a];
                if (xa == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < c; b++) {
                    row[b] += xa * x[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < c; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
            total += cov[a][a];
        }
        double[][] comps = new double[3][];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
        for (int pc = 0; pc < 3; pc++) {
            double[] v = new double[c];
            for (int k = 0; k < c; k++) {
                v[k] = rng.nextDouble() - 0.5;
            }
            double lambda = 0;
            for (int it = 0; it < 300; it++) {
                double[] w = new double[c];
                for (int a = 0; a < c; a++) {
                    double s = 0;
                    for (int b = 0; b < c; b++) {
                        s += cov[a][b] * v[b];
                    }
                    w[a] = s;
                }
                for (int prev = 0; prev < pc; prev++) {
                    double dot = 0;
                    for (int k = 0; k < c; k++) {
                        dot += w[k] * comps[prev][k];
                    }
                    for (int k = 0; k < c; k++) {
                        w[k] -= dot * comps[prev][k];
                    }
                }
                double norm = 0;
                for (double wk : w) {
                    norm += wk * wk;
                }
                norm = Math.sqrt(norm);
                if (norm == 0) {
                    break;
                }
                lambda = norm;
                for (int k = 0; k < c; k++) {
                    v[k] = w[k] / norm;
                }
            }
            comps[pc] = v;
            if (explained != null) {
                explained[pc] = total > 0 ? lambda / total : 0;
            }
        }
        float[][] proj = new float[3][n];
        for (int pc = 0; pc < 3; pc++) {
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += (d[i * c + k] - mean[k]) * comps[pc][k];
                }
                proj[pc][i] = (float) s;
                lo = Math.min(lo, proj[pc][i]);
                hi = Math.max(hi, proj[pc][i]);
            }
            for (int i = 0; i < n; i++) {
                proj[pc][i] = hi > lo ? (proj[pc][i] - lo) / (hi - lo) : 0.5f;
            }
        }
        byte[] px = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            for (int pc = 0; pc < 3; pc++) {
                px[3 * i + pc] = (byte) Math.round(255 * proj[pc][i]);
            }
        }
        return new RgbImage(f.width(), f.height(), px);
    }

    /** Nearest-neighbour enlargement by an integer factor. */
    public static RgbImage enlarge(RgbImage img, int factor) {
        int w = img.width() * factor;
        int h = img.height() * factor;
        byte[] px = new byte[w * h * 3];
        byte[] in = img.rgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int src = ((y / factor) * img.width() + x / factor) * 3;
                int dst = (y * w + x) * 3;
                px[dst] = in[src];
                px[dst + 1] = in[src + 1];
                px[dst + 2] = in[src + 2];
            }
        }
        return new RgbImage(w, h, px);
    }

    /** Images of equal height side by side with a 4-pixel white gap. */
    public static RgbImage sideBySide(RgbImage... images) {
        int h = 0;
        int w = 0;
        for (RgbImage im : images) {
            h = Math.max(h, im.height());
            w += im.width();
        }
        w += 4 * (images.length - 1);
        byte[] px = new byte[w * h * 3];
        java.util.Arrays.fill(px, (byte) 255);
        int x0 = 0;
        for (RgbImage im : images) {
            for (int y = 0; y < im.height(); y++) {
                System.arraycopy(im.rgb(), y * im.width() * 3, px, (y * w + x0) * 3, im.width() * 3);
            }
            x0 += im.width() + 4;
        }
        return new RgbImage(w, h, px);
    }

    /** The image turned by 180 degrees. */
    public static RgbImage rotate180(RgbImage img) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        int n = img.width() * img.height();
        for (int i = 0; i < n; i++) {
            int j = n - 1 - i;
            out[3 * j] = in[3 * i];
            out[3 * j + 1] = in[3 * i + 1];
            out[3 * j + 2] = in[3 * i + 2];
        }
        return new RgbImage(img.width(), img.height(), out);
    }
}
