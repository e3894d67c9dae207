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
 * Times one propagation step at steady state (the ring already holds m distinct frames) on
 * synthetic unit features; reports the median over the measured steps and checks that the windowed
 * and dense paths agree.
 */
public final class PropagationBenchmark {

    /** Median per-frame milliseconds and, when compared, the largest label difference. */
    public record Result(double medianMs, double minMs, int frames) {}

    private final int height;
    private final int width;
    private final int channels;
    private final int labels;
    private final PropagationParams params;
    private final List<FeatureMap> frames = new ArrayList<>();
    private final LabelMap labels0;

    public PropagationBenchmark(int height, int width, int channels, int labels, PropagationParams params, long seed) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.labels = labels;
        this.params = params;
        SplittableRandom rnd = new SplittableRandom(seed);
        int count = params.contextLength() + 8;
        for (int t = 0; t < count; t++) {
            FeatureMap f = FeatureMap.zeros(height, width, channels);
            for (int i = 0; i < f.data().length; i++) {
                f.data()[i] = (float) rnd.nextGaussian();
            }
            frames.add(f.l2NormaliseInPlace());
        }
        labels0 = LabelMap.zeros(height, width, labels);
        for (int n = 0; n < height * width; n++) {
            labels0.data()[n * labels + (n % labels)] = 1f;
        }
    }

    /** Runs m warm-up steps to fill the ring, then times {@code measured} steps. */
    public Result run(Propagator propagator, int measured) {
        PropagationContext ctx = PropagationContext.start(params, propagator, frames.get(0), labels0);
        int t = 1;
        for (; t <= params.contextLength(); t++) {
            ctx.step(frames.get(t));
        }
        double[] ms = new double[measured];
        for (int i = 0; i < measured; i++) {
            FeatureMap f = frames.get(1 + (t++ % (frames.size() - 1)));
            long start = System.nanoTime();
            ctx.step(f);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Result(ms[measured / 2], ms[0], measured);
    }

    /** Largest absolute label difference between two propagators over a few steps. */
    public double maxDifference(Propagator a, Propagator b, int steps) {
        PropagationContext ca = PropagationContext.start(params, a, frames.get(0), labels0);
        PropagationContext cb = PropagationContext.start(params, b, frames.get(0), labels0);
        double worst = 0;
        for (int t = 1; t <= steps; t++) {
            FeatureMap f = frames.get(1 + ((t - 1) % (frames.size() - 1)));
            float[] x = ca.step(f).data();
            float[] y = cb.step(f).data();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    public String describe() {
        return height + "x" + width + " C=" + channels + " labels=" + labels + " " + params;
    }

    public static void main(String[] args) {
        int h = Integer.parseInt(args[0]);
        int w = Integer.parseInt(args[1]);
        int m = Integer.parseInt(args[2]);
        double r = Double.parseDouble(args[3]);
        PropagationBenchmark b = new PropagationBenchmark(h, w, 256, 3, new PropagationParams(m, r, 10, 0.05), 1);
        System.out.println(b.describe());
        System.out.println("windowed " + b.run(Propagator.windowed(), 7));
        if (args.length > 4) {
            System.out.println("dense " + b.run(Propagator.dense(), 3));
        }
    }
}
