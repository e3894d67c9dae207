package dev.cycletrack.core.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * A BADJA sequence: its annotated frames in frame order and the 480p DAVIS sequence they belong to.
 * The seed is the first annotated frame; propagation runs through every 480p frame from the seed to
 * the last annotated frame.
 */
public record BadjaSequence(String name, DavisSequence davis, List<BadjaFrame> annotated) {

    public BadjaSequence {
        annotated = List.copyOf(annotated);
        if (annotated.isEmpty()) {
            throw new IllegalArgumentException("BADJA sequence '" + name + "' has no annotated frames");
        }
    }

    public BadjaFrame seed() {
        return annotated.get(0);
    }

    /** Index (in the 480p sequence) of the seed frame. */
    public int seedIndex() {
        return seed().index();
    }

    /** Index (in the 480p sequence) of the last annotated frame. */
    public int lastIndex() {
        return annotated.get(annotated.size() - 1).index();
    }

    /** The 480p JPEGs to propagate through, seed first, last annotated frame last. */
    public List<Path> propagationFrames() {
        return davis.framePaths().subList(seedIndex(), lastIndex() + 1);
    }
}
