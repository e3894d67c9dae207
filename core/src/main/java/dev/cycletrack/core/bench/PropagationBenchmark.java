package dev.cycletrack.core.bench;

import dev.cycletrack.core.propagation.PropagationContext;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times one propagation step at steady state: the context is restored with m distinct recent frames
 * (no warm-up through slow dense steps), then each measured step labels a new frame. Features are
 * an encoder's on a real video or seeded random unit vectors; labels soft random maps.
 */
public final class PropagationBenchmark {

    /**
     * Median and fastest per-frame wall milliseconds over the measured steps, and the process CPU
     * milliseconds per step (robust to other load on the machine; about cores x wall when idle).
     */
    public record Timing(double medianMs, double minMs, double cpuMsPerFrame, int frames) {}

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private final PropagationParams params;
    private final List<FeatureMap> frames = new ArrayList<>();
    private final List<LabelMap> labels = new ArrayList<>();
    private final int height;
    private final int width;
    private final int channels;

    private final String features;

    /** Seeded random unit features: the worst case for frame-0 pruning (no dominant subspace). */
    public static PropagationBenchmark synthetic(
            int height, int width, int channels, int labelChannels, PropagationParams params, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<FeatureMap> frames = new ArrayList<>();
        for (int t = 0; t < params.contextLength() + 4; t++) {
            FeatureMap f = FeatureMap.zeros(height, width, channels);
            for (int i = 0; i < f.data().length; i++) {
                f.data()[i] = (float) rnd.nextGaussian();
            }
            frames.add(f.l2NormaliseInPlace());
        }
        return new PropagationBenchmark(frames, labelChannels, params, seed, "synthetic unit features");
    }

    /**
     * Real features (an encoder's, frame after frame of one video): at least m+2 maps, frame 0 first.
     * The measured steps label the frames after the context in turn, wrapping around.
     */
    public static PropagationBenchmark real(
            List<FeatureMap> frames, int labelChannels, PropagationParams params, long seed, String describeFeatures) {
        if (frames.size() < params.contextLength() + 2) {
            throw new IllegalArgumentException(
                    "need at least " + (params.contextLength() + 2) + " frames, got " + frames.size());
        }
        return new PropagationBenchmark(frames, labelChannels, params, seed, describeFeatures);
    }

    private PropagationBenchmark(
            List<FeatureMap> frames, int labelChannels, PropagationParams params, long seed, String features) {
        this.params = params;
        this.features = features;
        FeatureMap first = frames.get(0);
        this.height = first.height();
        this.width = first.width();
        this.channels = first.channels();
        this.frames.addAll(frames);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int t = 0; t < frames.size(); t++) {
            LabelMap l = LabelMap.zeros(height, width, labelChannels);
            for (int n = 0; n < height * width; n++) {
                double sum = 0;
                for (int c = 0; c < labelChannels; c++) {
                    sum += l.data()[n * labelChannels + c] = (float) rnd.nextDouble();
                }
                for (int c = 0; c < labelChannels; c++) {
                    l.data()[n * labelChannels + c] /= (float) sum;
                }
            }
            labels.add(l);
        }
    }

    private PropagationContext context(Propagator propagator) {
        int m = params.contextLength();
        return PropagationContext.restore(
                params,
                propagator,
                frames.get(0),
                labels.get(0),
                frames.subList(1, m + 1),
                labels.subList(1, m + 1),
                m + 1);
    }

    /** Times {@code measured} steps after {@code warmup} untimed ones. */
    public Timing time(Propagator propagator, int warmup, int measured) {
        PropagationContext ctx = context(propagator);
        int next = params.contextLength() + 1;
        for (int i = 0; i < warmup; i++) {
            ctx.step(frames.get(next + (i % (frames.size() - next))));
        }
        double[] ms = new double[measured];
        long cpu0 = processCpuNanos();
        for (int i = 0; i < measured; i++) {
            FeatureMap f = frames.get(next + ((warmup + i) % (frames.size() - next)));
            long start = System.nanoTime();
            ctx.step(f);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double cpu = (processCpuNanos() - cpu0) / 1e6 / measured;
        Arrays.sort(ms);
        return new Timing(ms[measured / 2], ms[0], cpu, measured);
    }

    /**
     * How two propagators' labels agree: the largest absolute difference, and the share of label
     * values differing by more than 1e-5 (where two candidates tie within float rounding at the k-th
     * place, the two paths may keep different ones).
     */
    public record Agreement(double maxAbs, double shareOver1e5) {
        public static final Agreement NOT_RUN = new Agreement(Double.NaN, Double.NaN);
    }

    /** Compares two propagators over {@code steps} steps. */
    public Agreement compare(Propagator a, Propagator b, int steps) {
        PropagationContext ca = context(a);
        PropagationContext cb = context(b);
        int next = params.contextLength() + 1;
        double worst = 0;
        long differing = 0;
        long values = 0;
        for (int i = 0; i < steps; i++) {
            FeatureMap f = frames.get(next + (i % (frames.size() - next)));
            float[] x = ca.step(f).data();
            float[] y = cb.step(f).data();
            for (int k = 0; k < x.length; k++) {
                double d = Math.abs(x[k] - y[k]);
                worst = Math.max(worst, d);
                if (d > 1e-5) {
                    differing++;
                }
            }
            values += x.length;
        }
        return new Agreement(worst, differing / (double) values);
    }

    public String describe() {
        return height + "x" + width + " grid, C=" + channels + ", " + params + ", " + features;
    }
}
