package dev.cycletrack.core.propagation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one matrix product propagation needs, through OpenBLAS: {@code C = A * B^T} with A (m x k) and
 * B (n x k) row-major, i.e. the dot products of every row of A with every row of B. OpenBLAS runs
 * single-threaded; callers parallelise over tiles so that small products stay efficient.
 */
final class Blas {

    static {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
    }

    private Blas() {}

    /** Direct, native-order float buffer: handed to OpenBLAS without copying. */
    static FloatBuffer allocate(long floats) {
        if (floats > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("buffer of " + floats + " floats is too large");
        }
        return ByteBuffer.allocateDirect((int) floats * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * A thread's reusable buffer of at least {@code floats} floats, slot {@code slot} of that
     * thread's set: scratch space that grows as needed and is never zeroed between uses.
     */
    static FloatBuffer scratch(int slot, long floats) {
        FloatBuffer[] set = SCRATCH.get();
        if (set[slot] == null || set[slot].capacity() < floats) {
            set[slot] = allocate(floats);
        }
        return set[slot];
    }

    private static final ThreadLocal<FloatBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new FloatBuffer[8]);

    /**
     * {@code c[i * ldc + j] = sum_k a[i * k + kk] * b[j * k + kk]} for i < m, j < n, where a, b and c
     * start at the given float offsets of their buffers.
     */
    static void dotRows(
            FloatBuffer a,
            int aOffset,
            int m,
            FloatBuffer b,
            int bOffset,
            int n,
            int k,
            FloatBuffer c,
            int cOffset,
            int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas_nolapack.cblas_sgemm(
                openblas_nolapack.CblasRowMajor,
                openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasTrans,
                m,
                n,
                k,
                1f,
                a.slice(aOffset, m * k),
                k,
                b.slice(bOffset, n * k),
                k,
                0f,
                c.slice(cOffset, (m - 1) * ldc + n),
                ldc);
    }
}
