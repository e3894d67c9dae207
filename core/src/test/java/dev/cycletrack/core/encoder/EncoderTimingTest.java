package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.cycletrack.core.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints encoder timings; nothing is asserted. Runs only with {@code -Dcycletrack.timing=true}, or
 * directly through {@link #main}. The configurations are interleaved round by round so that load
 * from other processes hits them alike; on a shared machine read the minimum as well as the median.
 */
public class EncoderTimingTest {

    private static final int WARMUP = 3;

    @Test
    void printTimings() {
        assumeTrue(Boolean.getBoolean("cycletrack.timing"), "timing runs only with -Dcycletrack.timing=true");
        main(new String[0]);
    }

    /** {@code java -Dai.djl.offline=true -cp ... EncoderTimingTest [H W]...}; default 320 320 480 854. */
    public static void main(String[] args) {
        String[] sizes = args.length == 0 ? new String[] {"320", "320", "480", "854"} : args;
        for (int i = 0; i + 1 < sizes.length; i += 2) {
            time(Integer.parseInt(sizes[i]), Integer.parseInt(sizes[i + 1]));
        }
    }

    private static void time(int h, int w) {
        int rounds = Integer.getInteger("cycletrack.timing.rounds", 10);
        RgbImage image = EncoderTest.randomImage(w, h, 1);
        List<RgbImage> one = List.of(image);
        Map<String, Runnable> runs = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (PaddingMode mode : List.of(PaddingMode.REFLECT, PaddingMode.ZERO)) {
                ModelArtifact artifact = ModelArtifact.createRandom(1, mode);
                Encoder encoder = artifact.encoder();
                open.add(encoder);
                open.add(artifact);
                runs.put(mode.id() + " encode(RgbImage)", () -> encoder.encode(image));
                if (mode == PaddingMode.REFLECT) {
                    FramePacker packer = new FramePacker(InputNormalization.IMAGENET);
                    FusedTrunk fused = new FusedTrunk(artifact.trunk(), m);
                    NDArray features;
                    try (NDManager call = m.newSubManager()) {
                        features = fused.forward(packer.pack(call, one));
                        features.attach(m);
                    }
                    runs.put("  of which: pack input", () -> {
                        try (NDManager call = m.newSubManager()) {
                            packer.pack(call, one);
                        }
                    });
                    runs.put("  of which: output to FeatureMap", () -> Encoder.toFeatureMaps(features));
                }
                ParameterStore store = new ParameterStore(m, false);
                NDArray nchw = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, h, w));
                runs.put(mode.id() + " unfused blocks, NCHW", () -> {
                    try (NDManager call = m.newSubManager()) {
                        NDArray input = nchw.duplicate();
                        input.attach(call);
                        artifact.trunk().forward(store, new NDList(input), false);
                    }
                });
            }
            Map<String, long[]> nanos = new LinkedHashMap<>();
            runs.keySet().forEach(k -> nanos.put(k, new long[rounds]));
            for (int r = -WARMUP; r < rounds; r++) {
                for (Map.Entry<String, Runnable> e : runs.entrySet()) {
                    long t0 = System.nanoTime();
                    e.getValue().run();
                    long t = System.nanoTime() - t0;
                    if (r >= 0) {
                        nanos.get(e.getKey())[r] = t;
                    }
                }
            }
            System.out.printf(
                    "encoder 1x3x%dx%d, %d rounds, load %s (ms: median / min / max)%n", h, w, rounds, loadAverage());
            nanos.forEach((k, v) -> {
                long[] s = v.clone();
                Arrays.sort(s);
                System.out.printf(
                        "  %-34s %7.1f %7.1f %7.1f%n", k, s[s.length / 2] / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6);
            });
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String loadAverage() {
        return String.format(
                "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }
}
