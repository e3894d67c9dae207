package dev.cycletrack.core.encoder;

import java.util.SplittableRandom;

/**
 * Standard normal samples that are identical on every machine and JVM: SplittableRandom's bits are
 * specified, and Box-Muller is computed with StrictMath. (DJL/PyTorch seeding gives no such promise
 * across builds and CPUs.)
 */
final class GaussianStream {

    private static final double TWO_PI = 2 * Math.PI;
    private static final double UNIT = 0x1.0p-53;

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    GaussianStream(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        // u1 in (0, 1] so that log(u1) is finite.
        double u1 = ((random.nextLong() >>> 11) + 1) * UNIT;
        double u2 = (random.nextLong() >>> 11) * UNIT;
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        spare = r * StrictMath.sin(TWO_PI * u2);
        hasSpare = true;
        return r * StrictMath.cos(TWO_PI * u2);
    }

    /** {@code n} samples of N(0, std^2) as floats. */
    float[] normal(int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (std * next());
        }
        return out;
    }
}
