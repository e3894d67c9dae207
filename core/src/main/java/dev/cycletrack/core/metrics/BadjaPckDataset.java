package dev.cycletrack.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** BADJA dataset PCK: the unweighted mean over sequences of each sequence's pooled PCK. */
public final class BadjaPckDataset {

    private final Map<String, BadjaPck> sequences = new LinkedHashMap<>();

    public void add(String name, BadjaPck sequence) {
        if (sequences.putIfAbsent(name, sequence) != null) {
            throw new IllegalArgumentException("sequence " + name + " was already added");
        }
    }

    public Map<String, BadjaPck> sequences() {
        return Map.copyOf(sequences);
    }

    /** Mean of per-sequence pooled PCK (fraction); NaN if a sequence has no scored joint. */
    public double mean(double alpha) {
        if (sequences.isEmpty()) {
            throw new IllegalStateException("no sequences added");
        }
        double sum = 0;
        for (BadjaPck s : sequences.values()) {
            sum += s.pooled(alpha);
        }
        return sum / sequences.size();
    }
}
