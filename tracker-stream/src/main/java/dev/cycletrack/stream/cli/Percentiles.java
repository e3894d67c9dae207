package dev.cycletrack.stream.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a list of values. */
final class Percentiles {

    private final List<Double> sorted;

    Percentiles(List<Double> values) {
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    double p(double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    int count() {
        return sorted.size();
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
