package dev.cycletrack.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The windowed fast path must give the dense reference's labels on grids and radii of every shape. */
class WindowedMatchesDenseTest {

    /** Smooth random features drifting by one cell per frame, like real video. */
    static FeatureMap smoothFrame(SplittableRandom rnd, int h, int w, int c, float[] base, int shift) {
        FeatureMap f = FeatureMap.zeros(h, w, c);
        int bw = w + 16;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < c; k++) {
                    float v = base[((i + 8) * bw + (j + 8 - shift)) * c + k] + 0.1f * (float) rnd.nextGaussian();
                    f.set(i, j, k, v);
                }
            }
        }
        return f.l2NormaliseInPlace();
    }

    static float[] smoothBase(SplittableRandom rnd, int h, int w, int c) {
        int bh = h + 16;
        int bw = w + 16;
        float[] noise = new float[bh * bw * c];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rnd.nextGaussian();
        }
        float[] out = new float[noise.length];
        for (int i = 0; i < bh; i++) {
            for (int j = 0; j < bw; j++) {
                for (int k = 0; k < c; k++) {
                    float s = 0;
                    for (int di = -1; di <= 1; di++) {
                        for (int dj = -1; dj <= 1; dj++) {
                            int ii = Math.floorMod(i + di, bh);
                            int jj = Math.floorMod(j + dj, bw);
                            s += noise[(ii * bw + jj) * c + k];
                        }
                    }
                    out[(i * bw + j) * c + k] = s;
                }
            }
        }
        return out;
    }

    /** Both window kernels: OpenBLAS products of the tiles' pieces, and the Vector API pairs. */
    static List<Propagator> windowKernels() {
        List<Propagator> kernels = new java.util.ArrayList<>(List.of(new WindowedPropagator(true, false)));
        if (SimdSupport.enabled()) {
            kernels.add(new WindowedPropagator(true, true));
        }
        return kernels;
    }

    @org.junit.jupiter.api.Test
    void testJvmRunsTheSimdKernel() {
        // The build passes --add-modules jdk.incubator.vector to every test JVM, so both kernels are tested.
        org.junit.jupiter.api.Assertions.assertTrue(SimdSupport.enabled(), () -> SimdSupport.unavailableReason());
    }

    @ParameterizedTest(name = "{0}x{1} C={2} m={3} r={4} k={5}")
    @CsvSource({
        "23,37,16,4,5,10",
        "30,41,32,6,7.5,10",
        "9,11,8,3,12,5",
        "40,40,32,2,3,7",
        "17,26,16,0,4,10",
        "13,9,12,3,5,10",
        "1,7,20,2,3,3"
    })
    void windowedEqualsDense(int h, int w, int c, int m, double r, int k) {
        for (Propagator kernel : windowKernels()) {
            windowedEqualsDense(kernel, h, w, c, m, r, k);
        }
    }

    private static void windowedEqualsDense(Propagator kernel, int h, int w, int c, int m, double r, int k) {
        SplittableRandom rnd = new SplittableRandom(42 + h * 31L + w);
        float[] base = smoothBase(rnd, h, w, c);
        LabelMap labels0 = LabelMap.zeros(h, w, 3);
        for (int n = 0; n < h * w; n++) {
            int cls = (n % w) < w / 3 ? 0 : ((n / w) < h / 2 ? 1 : 2);
            labels0.data()[n * 3 + cls] = 1f;
        }
        PropagationParams p = new PropagationParams(m, r, k, 0.05);
        FeatureMap f0 = smoothFrame(rnd, h, w, c, base, 0);
        PropagationContext fast = PropagationContext.start(p, kernel, f0, labels0);
        PropagationContext dense = PropagationContext.start(p, Propagator.dense(), f0, labels0);
        double worst = 0;
        for (int t = 1; t < 12; t++) {
            FeatureMap f = smoothFrame(rnd, h, w, c, base, t % 8);
            LabelMap a = fast.step(f);
            LabelMap b = dense.step(f);
            for (int i = 0; i < a.data().length; i++) {
                worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
            }
        }
        assertEquals(0, worst, 1e-5, "windowed (" + kernel + ") vs dense max |diff|");
    }

    @ParameterizedTest(name = "radius {0}")
    @CsvSource({"1", "1.5", "2", "4.5", "12", "18"})
    void windowHoldsExactlyTheStrictDisc(double r) {
        RadiusWindow window = new RadiusWindow(r);
        int count = 0;
        for (int dy = -40; dy <= 40; dy++) {
            for (int dx = -40; dx <= 40; dx++) {
                boolean inside = Math.sqrt(dy * dy + dx * dx) < r;
                assertEquals(inside, window.contains(dy, dx), "offset " + dy + "," + dx);
                if (inside) {
                    count++;
                }
            }
        }
        assertEquals(count, window.size());
    }

    @org.junit.jupiter.api.Test
    void refusesFramesOfAnotherSize() {
        LabelMap labels0 = LabelMap.zeros(4, 5, 2);
        PropagationContext ctx =
                PropagationContext.start(new PropagationParams(2, 3, 3, 0.05), FeatureMap.zeros(4, 5, 8), labels0);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ctx.step(FeatureMap.zeros(5, 5, 8)));
        assertEquals("frame features are 5x5x8 but the context holds 4x5x8", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void restoredContextContinuesLikeTheOriginal() {
        SplittableRandom rnd = new SplittableRandom(7);
        int h = 12;
        int w = 14;
        int c = 8;
        float[] base = smoothBase(rnd, h, w, c);
        PropagationParams p = new PropagationParams(3, 4, 5, 0.05);
        LabelMap labels0 = LabelMap.zeros(h, w, 2);
        for (int n = 0; n < h * w; n++) {
            labels0.data()[n * 2 + ((n % w) < 5 ? 1 : 0)] = 1f;
        }
        List<FeatureMap> frames = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            frames.add(smoothFrame(rnd, h, w, c, base, t));
        }
        PropagationContext full = PropagationContext.start(p, frames.get(0), labels0);
        List<LabelMap> labels = new java.util.ArrayList<>();
        for (int t = 1; t < 8; t++) {
            labels.add(full.step(frames.get(t)));
        }
        // Restore after frame 2 (3 frames seen) with one real recent frame... and after frame 5 (full ring).
        for (int seen : new int[] {3, 6}) {
            int real = Math.min(p.contextLength(), seen - 1);
            List<FeatureMap> rf = frames.subList(seen - real, seen);
            List<LabelMap> rl = labels.subList(seen - 1 - real, seen - 1);
            PropagationContext restored =
                    PropagationContext.restore(p, Propagator.windowed(), frames.get(0), labels0, rf, rl, seen);
            for (int t = seen; t < 8; t++) {
                LabelMap expected = labels.get(t - 1);
                LabelMap got = restored.step(frames.get(t));
                for (int i = 0; i < expected.data().length; i++) {
                    assertEquals(expected.data()[i], got.data()[i], 0f, "frame " + t + " restored after " + seen);
                }
            }
        }
    }
}
