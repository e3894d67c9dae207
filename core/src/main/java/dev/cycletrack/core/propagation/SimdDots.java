package dev.cycletrack.core.propagation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Propagation's vector kernels on the JDK's Vector API ({@code jdk.incubator.vector}). {@link #pairDots}
 * is the window pass: two target nodes against a list of context nodes, four at a time, vectors along
 * the channels; eight accumulators (2 targets x 4 cells) take six loads per eight fused multiply-adds,
 * and each is reduced once, after the channels. {@link #dot} and {@link #firstAbove} serve frame 0's
 * bounded pass. Callers reach this class only when {@link SimdSupport#enabled()}, so it is never loaded
 * in a JVM without the module.
 */
final class SimdDots {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final int LANES = SPECIES.length();

    /**
     * The channel loop's stride, deliberately not a constant: with a constant stride C2 (JDK 17)
     * unrolls the loop and spills the accumulators to the stack (seen in its disassembly), 30-40% slower.
     */
    @SuppressWarnings("FieldMayBeFinal")
    private static int stride = SPECIES.length();

    private SimdDots() {}

    /** Lanes of the vectors used here (8 on AVX2). */
    static int lanes() {
        return LANES;
    }

    /**
     * Dot products of node rows {@code a} and {@code b} of {@code q} with node rows {@code cells[from
     * .. to)} of {@code k} (node-major, {@code c} channels): {@code out[j - from]} for a and {@code
     * out[(to - from) + j - from]} for b. {@code to - from} must be a multiple of 4.
     */
    static void pairDots(float[] q, int a, int b, float[] k, int[] cells, int from, int to, int c, float[] out) {
        int qa = a * c;
        int qb = b * c;
        int len = to - from;
        int step = stride;
        int vectorEnd = c - c % step;
        for (int j = from; j < to; j += 4) {
            int k0 = cells[j] * c;
            int k1 = cells[j + 1] * c;
            int k2 = cells[j + 2] * c;
            int k3 = cells[j + 3] * c;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector b2 = a0;
            FloatVector b3 = a0;
            for (int x = 0; x < vectorEnd; x += step) {
                FloatVector va = FloatVector.fromArray(SPECIES, q, qa + x);
                FloatVector vb = FloatVector.fromArray(SPECIES, q, qb + x);
                FloatVector v0 = FloatVector.fromArray(SPECIES, k, k0 + x);
                FloatVector v1 = FloatVector.fromArray(SPECIES, k, k1 + x);
                FloatVector v2 = FloatVector.fromArray(SPECIES, k, k2 + x);
                FloatVector v3 = FloatVector.fromArray(SPECIES, k, k3 + x);
                a0 = va.fma(v0, a0);
                b0 = vb.fma(v0, b0);
                a1 = va.fma(v1, a1);
                b1 = vb.fma(v1, b1);
                a2 = va.fma(v2, a2);
                b2 = vb.fma(v2, b2);
                a3 = va.fma(v3, a3);
                b3 = vb.fma(v3, b3);
            }
            int o = j - from;
            out[o] = a0.reduceLanes(VectorOperators.ADD) + tail(q, qa, k, k0, vectorEnd, c);
            out[o + 1] = a1.reduceLanes(VectorOperators.ADD) + tail(q, qa, k, k1, vectorEnd, c);
            out[o + 2] = a2.reduceLanes(VectorOperators.ADD) + tail(q, qa, k, k2, vectorEnd, c);
            out[o + 3] = a3.reduceLanes(VectorOperators.ADD) + tail(q, qa, k, k3, vectorEnd, c);
            out[len + o] = b0.reduceLanes(VectorOperators.ADD) + tail(q, qb, k, k0, vectorEnd, c);
            out[len + o + 1] = b1.reduceLanes(VectorOperators.ADD) + tail(q, qb, k, k1, vectorEnd, c);
            out[len + o + 2] = b2.reduceLanes(VectorOperators.ADD) + tail(q, qb, k, k2, vectorEnd, c);
            out[len + o + 3] = b3.reduceLanes(VectorOperators.ADD) + tail(q, qb, k, k3, vectorEnd, c);
        }
    }

    /**
     * {@code a[ao..ao+length) . b[bo..bo+length)} with four vector accumulators. Here the stride is
     * constant: the loop is short and unrolled well (61 ns per 256-long product from a random row of
     * frame 0, against 85 with a variable stride and 190 for the scalar loop).
     */
    static float dot(float[] a, int ao, float[] b, int bo, int length) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int x = 0;
        for (; x + 4 * LANES <= length; x += 4 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + x).fma(FloatVector.fromArray(SPECIES, b, bo + x), s0);
            s1 = FloatVector.fromArray(SPECIES, a, ao + x + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + x + LANES), s1);
            s2 = FloatVector.fromArray(SPECIES, a, ao + x + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + x + 2 * LANES), s2);
            s3 = FloatVector.fromArray(SPECIES, a, ao + x + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + x + 3 * LANES), s3);
        }
        for (; x + LANES <= length; x += LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + x).fma(FloatVector.fromArray(SPECIES, b, bo + x), s0);
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; x < length; x++) {
            sum = Math.fma(a[ao + x], b[bo + x], sum);
        }
        return sum;
    }

    /**
     * The first index in [from, to) whose value exceeds {@code limit}, or {@code to}: a vector of
     * comparisons at a time, for scans where few values pass (0.16 ns per value against 0.42 for the
     * scalar loop, with 1% passing).
     */
    static int firstAbove(float[] values, int from, int to, float limit) {
        int i = from;
        FloatVector bar = FloatVector.broadcast(SPECIES, limit);
        for (; i + LANES <= to; i += LANES) {
            if (FloatVector.fromArray(SPECIES, values, i)
                    .compare(VectorOperators.GT, bar)
                    .anyTrue()) {
                break;
            }
        }
        for (; i < to; i++) {
            if (values[i] > limit) {
                return i;
            }
        }
        return to;
    }

    /** The channels past the last full vector (none when c is a multiple of the lanes). */
    private static float tail(float[] q, int qo, float[] k, int ko, int from, int c) {
        float s = 0;
        for (int x = from; x < c; x++) {
            s = Math.fma(q[qo + x], k[ko + x], s);
        }
        return s;
    }
}
