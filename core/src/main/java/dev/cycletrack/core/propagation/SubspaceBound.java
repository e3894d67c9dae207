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

    /** Principal directions of the first bound. 32 of 256 measured best on real features (docs/benchmarks.md). */
    static final int DIMENSIONS = Integer.getInteger("cycletrack.propagation.boundDims", 32);

    /**
     * Directions of the second bound, tried only on nodes that pass the first: the next 32 cut the
     * survivors about three times (0.6% to 0.2% on real features) at 32 multiply-adds each, far
     * cheaper than the 256 of an exact affinity.
     */
    static final int SECOND_DIMENSIONS = Integer.getInteger("cycletrack.propagation.boundDims2", 64);

    /** Below this share of frame 0's energy in the kept directions, the bound would prune little. */
    static final double MIN_ENERGY = 0.5;

    /**
     * Slack added to every bound, relative to |q| max|k|: covers float rounding of the basis and
     * the products (about 1e-6), so pruning stays exact.
     */
    static final float RELATIVE_MARGIN = 1e-3f;

    private final int channels;
    private final int dims;
    private final int dims2;
    private final FloatBuffer basis;
    private final FloatBuffer keys;
    private final float[] keysExtra;
    private final float[] residual1;
    private final float[] residual2;
    private final float[] features;
    private final float maxKeyNorm;
    private final double energy;

    private SubspaceBound(Builder b) {
        this.channels = b.channels;
        this.dims = b.dims;
        this.dims2 = b.dims2;
        this.basis = b.basis;
        this.keys = b.keys;
        this.keysExtra = b.keysExtra;
        this.residual1 = b.residual1;
        this.residual2 = b.residual2;
        this.features = b.features;
        this.maxKeyNorm = b.maxKeyNorm;
        this.energy = b.energy;
    }

    /** The parts of a bound under construction. */
    private static final class Builder {
        int channels;
        int dims;
        int dims2;
        FloatBuffer basis;
        FloatBuffer keys;
        float[] keysExtra;
        float[] residual1;
        float[] residual2;
        float[] features;
        float maxKeyNorm;
        double energy;
    }

    static SubspaceBound of(ContextFrame frame) {
        int n = frame.nodes();
        int c = frame.channels();
        int d = Math.min(DIMENSIONS, c);
        int d2 = Math.max(d, Math.min(SECOND_DIMENSIONS, c));
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
        Builder b = new Builder();
        b.channels = c;
        b.dims = d;
        b.dims2 = d2;
        b.energy = total > 0 ? kept / total : 0;
        // Ascending eigenvalues, eigenvectors in columns: row r of the basis is column c-1-r.
        b.basis = Blas.allocate((long) d2 * c);
        for (int r = 0; r < d2; r++) {
            for (int x = 0; x < c; x++) {
                b.basis.put(r * c + x, (float) a[x * c + (c - 1 - r)]);
            }
        }
        b.features = new float[n * c];
        k.get(0, b.features);
        Projection keys = new Projection(n, b);
        b.maxKeyNorm = project(b, k, 0, n, keys);
        b.keys = keys.first;
        b.keysExtra = keys.extra;
        b.residual1 = keys.residual1;
        b.residual2 = keys.residual2;
        return new SubspaceBound(b);
    }

    /**
     * Node vectors projected for both bounds: {@code first} holds {@code [Pv, |v_r|]} over the first
     * d directions (rows of d+1, the operand of the bound product); {@code extra} the coordinates
     * along the next directions; the residual norms outside d and outside d2 directions; the norms.
     */
    static final class Projection {
        final FloatBuffer all;
        final FloatBuffer first;
        final float[] extra;
        final float[] residual1;
        final float[] residual2;
        final float[] norms;

        private Projection(int rows, Builder b) {
            this(rows, b.dims, b.dims2);
        }

        private final int rows;
        private final int dims;
        private final int dims2;

        Projection(int rows, int dims, int dims2) {
            this.rows = rows;
            this.dims = dims;
            this.dims2 = dims2;
            all = Blas.allocate((long) rows * dims2);
            first = Blas.allocate((long) rows * (dims + 1));
            extra = new float[rows * (dims2 - dims)];
            residual1 = new float[rows];
            residual2 = new float[rows];
            norms = new float[rows];
        }
    }

    /** {@code reuse} if it holds {@code rows} target nodes of this bound's shape, else a new buffer. */
    Projection projection(Projection reuse, int rows) {
        if (reuse != null && reuse.rows >= rows && reuse.dims == dims && reuse.dims2 == dims2) {
            return reuse;
        }
        return new Projection(rows, dims, dims2);
    }

    /** Projects {@code rows} node vectors from float {@code offset} of {@code v}; returns the largest norm. */
    private static float project(Builder b, FloatBuffer v, int offset, int rows, Projection out) {
        return project(b.basis, b.channels, b.dims, b.dims2, v, offset, rows, out);
    }

    private static float project(
            FloatBuffer basis, int c, int d, int d2, FloatBuffer v, int offset, int rows, Projection out) {
        Blas.dotRows(v, offset, rows, basis, 0, d2, c, out.all, 0, d2);
        int extra = d2 - d;
        float maxNorm = 0;
        for (int r = 0; r < rows; r++) {
            double all = 0;
            int base = offset + r * c;
            for (int x = 0; x < c; x++) {
                double value = v.get(base + x);
                all += value * value;
            }
            double inside1 = 0;
            double inside2 = 0;
            for (int x = 0; x < d2; x++) {
                float value = out.all.get(r * d2 + x);
                if (x < d) {
                    out.first.put(r * (d + 1) + x, value);
                    inside1 += (double) value * value;
                } else {
                    out.extra[r * extra + x - d] = value;
                }
                inside2 += (double) value * value;
            }
            float r1 = (float) Math.sqrt(Math.max(0, all - inside1));
            out.first.put(r * (d + 1) + d, r1);
            out.residual1[r] = r1;
            out.residual2[r] = (float) Math.sqrt(Math.max(0, all - inside2));
            out.norms[r] = (float) Math.sqrt(all);
            maxNorm = Math.max(maxNorm, out.norms[r]);
        }
        return maxNorm;
    }

    /** Whether the kept directions hold enough of frame 0's energy for the bound to prune. */
    boolean useful() {
        return energy >= MIN_ENERGY;
    }

    /** Share of frame 0's second-moment energy in the first bound's directions. */
    double energy() {
        return energy;
    }

    /** Length of the first bound's vectors (its directions plus the residual norm). */
    int width() {
        return dims + 1;
    }

    /** Frame 0's projected nodes for the first bound, n x {@link #width()}. */
    FloatBuffer keys() {
        return keys;
    }

    /** Projects target rows into {@code out}: its {@code first} rows are the bound product's operand. */
    void projectTargets(FloatBuffer target, int offset, int rows, Projection out) {
        project(basis, channels, dims, dims2, target, offset, rows, out);
    }

    /** Slack to add to a bound for a target of norm {@code targetNorm}. */
    float margin(float targetNorm) {
        return RELATIVE_MARGIN * targetNorm * maxKeyNorm;
    }

    /**
     * The second, tighter bound for projected target {@code row} and frame-0 node {@code node}, from
     * the first bound's value: swaps the first residual term for the next directions' exact part and
     * the smaller second residual.
     */
    float secondBound(Projection target, int row, int node, float firstBound, boolean simd) {
        int extra = dims2 - dims;
        if (extra == 0) {
            return firstBound;
        }
        float inside = firstBound - target.residual1[row] * residual1[node];
        return inside
                + dot(target.extra, row * extra, keysExtra, node * extra, extra, simd)
                + target.residual2[row] * residual2[node];
    }

    /** Exact affinity of a target vector with frame-0 node {@code node}. */
    float affinity(float[] target, int node, boolean simd) {
        return dot(target, 0, features, node * channels, channels, simd);
    }

    /** A dot product on {@link SimdDots} when {@code simd}, else {@link #dot(float[], int, float[], int, int)}. */
    private static float dot(float[] a, int ao, float[] b, int bo, int length, boolean simd) {
        return simd ? SimdDots.dot(a, ao, b, bo, length) : dot(a, ao, b, bo, length);
    }

    /** {@code a[ao..ao+length) . b[bo..bo+length)}, the hot loop of both bounds' exact parts. */
    private static float dot(float[] a, int ao, float[] b, int bo, int length) {
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
        for (; x + 7 < length; x += 8) {
            s0 = Math.fma(a[ao + x], b[bo + x], s0);
            s1 = Math.fma(a[ao + x + 1], b[bo + x + 1], s1);
            s2 = Math.fma(a[ao + x + 2], b[bo + x + 2], s2);
            s3 = Math.fma(a[ao + x + 3], b[bo + x + 3], s3);
            s4 = Math.fma(a[ao + x + 4], b[bo + x + 4], s4);
            s5 = Math.fma(a[ao + x + 5], b[bo + x + 5], s5);
            s6 = Math.fma(a[ao + x + 6], b[bo + x + 6], s6);
            s7 = Math.fma(a[ao + x + 7], b[bo + x + 7], s7);
        }
        for (; x < length; x++) {
            s0 = Math.fma(a[ao + x], b[bo + x], s0);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
