package dev.cycletrack.core.propagation;

/**
 * Whether propagation can use the {@link SimdDots} kernels: the JDK's incubating Vector API module must
 * be in the boot layer ({@code --add-modules jdk.incubator.vector}, which the launcher, the tests and
 * the images pass) and not switched off with {@code -Dcycletrack.propagation.simd=false}. Without it
 * the window pass runs OpenBLAS products and frame 0's scans scalar loops, with the same labels to
 * float rounding. This class never touches the module's types itself, so it loads on any JDK.
 */
final class SimdSupport {

    static final String PROPERTY = "cycletrack.propagation.simd";

    private static final String MODULE = "jdk.incubator.vector";

    private static final String UNAVAILABLE_REASON = probe();

    private SimdSupport() {}

    /** True when the Vector API kernels are usable and wanted. */
    static boolean enabled() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why the kernels are not used, or null when they are. */
    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    private static String probe() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return "switched off (-D" + PROPERTY + "=false)";
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "module " + MODULE + " not in the boot layer (java --add-modules " + MODULE + ")";
        }
        try {
            if (SimdDots.lanes() < 4) {
                // Without vector registers the API runs its lanes one by one: slower than OpenBLAS.
                return "vectors of " + SimdDots.lanes() + " floats only on this CPU or JVM";
            }
            // A 2 x 4 product with a known answer: proves the class links and the kernel runs here.
            int c = 3 * SimdDots.lanes() + 1;
            float[] q = new float[2 * c];
            float[] k = new float[4 * c];
            for (int i = 0; i < q.length; i++) {
                q[i] = 1;
            }
            for (int i = 0; i < k.length; i++) {
                k[i] = i / c + 1;
            }
            float[] out = new float[8];
            SimdDots.pairDots(q, 0, 1, k, new int[] {0, 1, 2, 3}, 0, 4, c, out);
            for (int i = 0; i < 8; i++) {
                if (out[i] != (i % 4 + 1) * c) {
                    return "self-test failed: dot " + i + " is " + out[i] + ", expected " + (i % 4 + 1) * c;
                }
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "kernel unusable: " + e;
        }
    }
}
