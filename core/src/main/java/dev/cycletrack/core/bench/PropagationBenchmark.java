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
 * seeded random unit vectors; labels soft random maps.
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

    public PropagationBenchmark(
            int height, int width, int channels, int labelChannels, PropagationParams params, long seed) {
        this.params = params;
        this.height = height;
        this.width = width;
        this.channels = channels;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < params.contextLength() + 4; t++) {
            FeatureMap f = FeatureMap.zeros(height, width, channels);
            for (int i = 0; i < f.data().length; i++) {
                f.data()[i] = (float) rnd.nextGaussian();
            }
            frames.add(f.l2NormaliseInPlace());
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
            ctx.step(frames.get(next + (i % 3)));
        }
        double[] ms = new double[measured];
        long cpu0 = processCpuNanos();
        for (int i = 0; i < measured; i++) {
            FeatureMap f = frames.get(next + ((warmup + i) % 3));
            long start = System.nanoTime();
            ctx.step(f);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double cpu = (processCpuNanos() - cpu0) / 1e6 / measured;
        Arrays.sort(ms);
        return new Timing(ms[measured / 2], ms[0], cpu, measured);
    }

    /** Largest absolute label difference between two propagators over {@code steps} steps. */
    public double maxDifference(Propagator a, Propagator b, int steps) {
        PropagationContext ca = context(a);
        PropagationContext cb = context(b);
        int next = params.contextLength() + 1;
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            FeatureMap f = frames.get(next + (i % 3));
            float[] x = ca.step(f).data();
            float[] y = cb.step(f).data();
            for (int k = 0; k < x.length; k++) {
                worst = Math.max(worst, Math.abs(x[k] - y[k]));
            }
        }
        return worst;
    }

    public String describe() {
        return height + "x" + width + " grid, C=" + channels + ", " + params;
    }
}
