package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Upper bounds on the affinities between target nodes and frame 0's nodes, cheap enough to skip
 * most exact products. With an orthonormal basis P of frame 0's d principal directions and q_r, k_r
 * the parts of q and k outside it, {@code q.k = Pq.Pk + q_r.k_r <= Pq.Pk + |q_r| |k_r|}
 * (Cauchy-Schwarz on the residuals), and that bound is itself one dot product of the (d+1)-vectors
 * {@code [Pq, |q_r|]} and {@code [Pk, |k_r|]}: a matrix product 256/33 times smaller than the exact
 * one. A frame-0 node whose bound cannot beat a target's current k-th best affinity cannot enter its
 * top k, so skipping it changes nothing.
 *
 * <p>It pays off because real features put most of their energy in few directions (the STFC3 model on
 * the J-HMDB sample: 88% in 32 of 256), and the k-th best affinity in the recent frames' windows is
 * high (about 0.95), so about 1% of frame 0's nodes survive. For features that spread their energy
 * evenly (random vectors) the bound is loose; {@link #useful()} then says to skip it.
 */
final class SubspaceBound {

    /** Principal directions kept. 32 of 256 measured best on real features (docs/benchmarks.md). */
    static final int DIMENSIONS = Integer.getInteger("cycletrack.propagation.boundDims", 32);

    /** Below this share of frame 0's energy in the kept directions, the bound would prune little. */
    static final double MIN_ENERGY = 0.5;

    /**
     * Slack added to every bound, relative to |q| max|k|: covers float rounding of the basis and
     * the products (about 1e-6), so pruning stays exact.
     */
    static final float RELATIVE_MARGIN = 1e-3f;

    private final int channels;
    private final int dims;
    private final FloatBuffer basis;
    private final FloatBuffer keys;
    private final float[] features;
    private final float maxKeyNorm;
    private final double energy;

    private SubspaceBound(
            int channels,
            int dims,
            FloatBuffer basis,
            FloatBuffer keys,
            float[] features,
            float maxKeyNorm,
            double energy) {
        this.channels = channels;
        this.dims = dims;
        this.basis = basis;
        this.keys = keys;
        this.features = features;
        this.maxKeyNorm = maxKeyNorm;
        this.energy = energy;
    }

    static SubspaceBound of(ContextFrame frame) {
        int n = frame.nodes();
        int c = frame.channels();
        int d = Math.min(DIMENSIONS, c);
        FloatBuffer k = frame.features();

        // Second moments K^T K (c x c); its eigenvectors are the principal directions (uncentred, as
        // the bound concerns the raw vectors).
        FloatBuffer moments = Blas.allocate((long) c * c);
        openblas.cblas_sgemm(
                openblas.CblasRowMajor,
                openblas.CblasTrans,
                openblas.CblasNoTrans,
                c,
                c,
                n,
                1f,
                k,
                c,
                k,
                c,
                0f,
                moments,
                c);
        double[] a = new double[c * c];
        for (int i = 0; i < a.length; i++) {
            a[i] = moments.get(i);
        }
        double[] eigenvalues = new double[c];
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', c, a, c, eigenvalues);
        if (info != 0) {
            throw new IllegalStateException(
                    "eigen-decomposition of frame 0's features failed (LAPACK info " + info + ")");
        }
        double total = 0;
        double kept = 0;
        for (int i = 0; i < c; i++) {
            total += Math.max(0, eigenvalues[i]);
            if (i >= c - d) {
                kept += Math.max(0, eigenvalues[i]);
            }
        }
        // Ascending eigenvalues, eigenvectors in columns: row r of the basis is column c-1-r.
        FloatBuffer basis = Blas.allocate((long) d * c);
        for (int r = 0; r < d; r++) {
            for (int x = 0; x < c; x++) {
                basis.put(r * c + x, (float) a[x * c + (c - 1 - r)]);
            }
        }
        float[] features = new float[n * c];
        k.get(0, features);
        FloatBuffer keys = Blas.allocate((long) n * (d + 1));
        float maxNorm = project(basis, d, c, k, 0, n, keys, null);
        return new SubspaceBound(c, d, basis, keys, features, maxNorm, total > 0 ? kept / total : 0);
    }

    /**
     * Writes {@code [Pv, |v_r|]} of {@code rows} node vectors starting at float {@code offset} of
     * {@code v} into {@code out} (rows x (d+1)), and each vector's norm into {@code norms} if given;
     * returns the largest norm.
     */
    private static float project(
            FloatBuffer basis, int d, int c, FloatBuffer v, int offset, int rows, FloatBuffer out, float[] norms) {
        Blas.dotRows(v, offset, rows, basis, 0, d, c, out, 0, d + 1);
        float maxNorm = 0;
        for (int r = 0; r < rows; r++) {
            double all = 0;
            int base = offset + r * c;
            for (int x = 0; x < c; x++) {
                double value = v.get(base + x);
                all += value * value;
            }
            double inside = 0;
            for (int x = 0; x < d; x++) {
                double value = out.get(r * (d + 1) + x);
                inside += value * value;
            }
            out.put(r * (d + 1) + d, (float) Math.sqrt(Math.max(0, all - inside)));
            float norm = (float) Math.sqrt(all);
            if (norms != null) {
                norms[r] = norm;
            }
            maxNorm = Math.max(maxNorm, norm);
        }
        return maxNorm;
    }

    /** Whether the kept directions hold enough of frame 0's energy for the bound to prune. */
    boolean useful() {
        return energy >= MIN_ENERGY;
    }

    /** Share of frame 0's second-moment energy in the kept directions. */
    double energy() {
        return energy;
    }

    /** Length of the projected vectors (kept directions plus the residual norm). */
    int width() {
        return dims + 1;
    }

    /** Frame 0's projected nodes, n x {@link #width()}. */
    FloatBuffer keys() {
        return keys;
    }

    /** Projects target rows like {@link #keys()} into {@code out}; their norms go to {@code norms}. */
    void projectTargets(FloatBuffer target, int offset, int rows, FloatBuffer out, float[] norms) {
        project(basis, dims, channels, target, offset, rows, out, norms);
    }

    /** Slack to add to a bound for a target of norm {@code targetNorm}. */
    float margin(float targetNorm) {
        return RELATIVE_MARGIN * targetNorm * maxKeyNorm;
    }

    /** Exact affinity of a target vector with frame-0 node {@code node}. */
    float affinity(float[] target, int node) {
        int base = node * channels;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int x = 0;
        // Eight independent fused multiply-adds per step keep the FMA units busy despite their latency.
        for (; x + 7 < channels; x += 8) {
            s0 = Math.fma(target[x], features[base + x], s0);
            s1 = Math.fma(target[x + 1], features[base + x + 1], s1);
            s2 = Math.fma(target[x + 2], features[base + x + 2], s2);
            s3 = Math.fma(target[x + 3], features[base + x + 3], s3);
            s4 = Math.fma(target[x + 4], features[base + x + 4], s4);
            s5 = Math.fma(target[x + 5], features[base + x + 5], s5);
            s6 = Math.fma(target[x + 6], features[base + x + 6], s6);
            s7 = Math.fma(target[x + 7], features[base + x + 7], s7);
        }
        for (; x < channels; x++) {
            s0 = Math.fma(target[x], features[base + x], s0);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
