package dev.cycletrack.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API kernels against plain loops, on lengths that are and are not multiples of the lanes. */
class SimdDotsTest {

    @BeforeAll
    static void kernelAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SimdSupport.enabled(), SimdSupport::unavailableReason);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static double reference(float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[ao + i] * b[bo + i];
        }
        return s;
    }

    @ParameterizedTest(name = "c={0}")
    @ValueSource(ints = {1, 7, 8, 13, 16, 33, 256})
    void pairDotsEqualPlainDotProducts(int c) {
        SplittableRandom rnd = new SplittableRandom(c);
        int nodes = 11;
        float[] q = random(rnd, nodes * c);
        float[] k = random(rnd, nodes * c);
        int[] cells = {3, 0, 10, 7, 7, 2, 5, 9, 1, 4, 6, 8};
        int from = 4;
        int to = 12;
        float[] out = new float[2 * (to - from)];
        SimdDots.pairDots(q, 2, 9, k, cells, from, to, c, out);
        for (int j = from; j < to; j++) {
            double tolerance = 1e-5 * Math.sqrt(c) * 4;
            assertEquals(reference(q, 2 * c, k, cells[j] * c, c), out[j - from], tolerance, "first, cell " + j);
            assertEquals(reference(q, 9 * c, k, cells[j] * c, c), out[to - from + j - from], tolerance, "second");
        }
    }

    @Test
    void dotOfEveryLength() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] a = random(rnd, 300);
        float[] b = random(rnd, 300);
        for (int n = 0; n <= 70; n++) {
            assertEquals(reference(a, 5, b, 17, n), SimdDots.dot(a, 5, b, 17, n), 1e-4, "length " + n);
        }
    }

    @Test
    void firstAboveFindsEveryPassingValueInOrder() {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] v = random(rnd, 103);
        v[50] = Float.NaN; // never above anything, as with >
        for (float limit : new float[] {Float.NEGATIVE_INFINITY, -1f, 1.5f, 2.5f, Float.POSITIVE_INFINITY}) {
            for (int from = 0; from <= 103; from += 17) {
                int expected = from;
                while (expected < 103 && !(v[expected] > limit)) {
                    expected++;
                }
                assertEquals(expected, SimdDots.firstAbove(v, from, 103, limit), "limit " + limit + " from " + from);
            }
        }
        assertEquals(7, SimdDots.firstAbove(v, 7, 7, -1f), "empty range");
    }
}
