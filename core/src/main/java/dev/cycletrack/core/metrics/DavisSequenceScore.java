package dev.cycletrack.core.metrics;

import java.util.List;

/**
 * Result of one sequence in semi-supervised DAVIS scoring: the annotated frame indices that were
 * scored (all but the first and the last) and one entry per ground-truth object 1..N.
 */
public record DavisSequenceScore(String name, int[] scoredFrames, List<DavisObjectScore> objects) {

    public DavisSequenceScore {
        objects = List.copyOf(objects);
    }
}
