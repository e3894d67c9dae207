package dev.cycletrack.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Dataset-level semi-supervised DAVIS scores. Every mean is over all objects of all sequences added
 * (object-weighted, as the official toolkit), not over sequences; J&F = (J + F) / 2. Values are in
 * [0, 1].
 */
public final class DavisEvaluation {

    private final List<DavisSequenceScore> sequences = new ArrayList<>();
    private final List<DavisObjectScore> objects = new ArrayList<>();

    public void add(DavisSequenceScore sequence) {
        sequences.add(sequence);
        objects.addAll(sequence.objects());
    }

    public List<DavisSequenceScore> sequences() {
        return List.copyOf(sequences);
    }

    public List<DavisObjectScore> objects() {
        return List.copyOf(objects);
    }

    public double jMean() {
        return meanOver(o -> o.jStats().mean());
    }

    public double fMean() {
        return meanOver(o -> o.fStats().mean());
    }

    public double jfMean() {
        return (jMean() + fMean()) / 2;
    }

    public double jRecall() {
        return meanOver(o -> o.jStats().recall());
    }

    public double fRecall() {
        return meanOver(o -> o.fStats().recall());
    }

    public double jDecay() {
        return meanOver(o -> o.jStats().decay());
    }

    public double fDecay() {
        return meanOver(o -> o.fStats().decay());
    }

    // Plain mean (np.mean): a NaN object value shows up as NaN instead of being hidden.
    private double meanOver(ToDoubleFunction<DavisObjectScore> value) {
        if (objects.isEmpty()) {
            throw new IllegalStateException("no objects scored yet");
        }
        double sum = 0;
        for (DavisObjectScore o : objects) {
            sum += value.applyAsDouble(o);
        }
        return sum / objects.size();
    }
}
