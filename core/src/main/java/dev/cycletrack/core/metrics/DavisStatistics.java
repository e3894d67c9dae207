package dev.cycletrack.core.metrics;

/**
 * Per-object summary of per-frame J or F values, as {@code db_statistics} of davis2017-evaluation:
 * mean = nanmean, recall = fraction of frames with value > 0.5 (NaN counts as not above), decay =
 * nanmean of the first of 4 bins minus nanmean of the last.
 */
public record DavisStatistics(double mean, double recall, double decay) {

    private static final int DECAY_BINS = 4;

    public static DavisStatistics of(double[] perFrame) {
        return new DavisStatistics(nanMean(perFrame, 0, perFrame.length), recall(perFrame), decay(perFrame));
    }

    private static double recall(double[] values) {
        int above = 0;
        for (double v : values) {
            if (v > 0.5) {
                above++;
            }
        }
        return (double) above / values.length;
    }

    /**
     * Bin edges ids = round(linspace(1, n, 5) + 1e-10) - 1 (round half to even, as numpy), bin i =
     * values[ids[i] .. ids[i+1]] inclusive. The reference casts ids to uint8, which wraps above 256
     * frames; this does not copy that wrap.
     */
    private static double decay(double[] values) {
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        int[] ids = new int[DECAY_BINS + 1];
        double step = (n - 1) / (double) DECAY_BINS;
        for (int i = 0; i <= DECAY_BINS; i++) {
            double point = i == DECAY_BINS ? n : i * step + 1;
            ids[i] = (int) Math.rint(point + 1e-10) - 1;
        }
        double first = nanMean(values, ids[0], ids[1] + 1);
        double last = nanMean(values, ids[DECAY_BINS - 1], ids[DECAY_BINS] + 1);
        return first - last;
    }

    /** Mean of the non-NaN values in [from, to); NaN when there are none. */
    static double nanMean(double[] values, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
