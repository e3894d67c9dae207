package dev.cycletrack.core.bench;

import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.image.RgbImage;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Median time of one encoder forward pass (layer3 features, L2-normalised) on a random image. */
public final class EncoderBenchmark {

    private EncoderBenchmark() {}

    public static PropagationBenchmark.Timing time(Encoder encoder, int width, int height, int warmup, int measured) {
        byte[] rgb = new byte[width * height * 3];
        new SplittableRandom(3).nextBytes(rgb);
        RgbImage image = new RgbImage(width, height, rgb);
        for (int i = 0; i < warmup; i++) {
            encoder.encode(image);
        }
        double[] ms = new double[measured];
        long cpu0 = PropagationBenchmark.processCpuNanos();
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            encoder.encode(image);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double cpu = (PropagationBenchmark.processCpuNanos() - cpu0) / 1e6 / measured;
        Arrays.sort(ms);
        return new PropagationBenchmark.Timing(ms[measured / 2], ms[0], cpu, measured);
    }
}
