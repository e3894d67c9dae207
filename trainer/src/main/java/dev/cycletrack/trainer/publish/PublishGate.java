package dev.cycletrack.trainer.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation gate of {@code train --publish}: a run's best checkpoint is published only when its
 * validation score beats the untrained encoder's (the step-0 row of the run's eval.csv) by at least
 * a margin. An untrained encoder already tracks, so anything less is no improvement.
 */
public record PublishGate(String metric, double untrained, double best, long bestStep, double margin) {

    public boolean passes() {
        return best >= untrained + margin;
    }

    public String explain() {
        return String.format(
                Locale.ROOT,
                "best %s %.2f (step %d) vs untrained %.2f, margin %.2f: %s",
                metric,
                best,
                bestStep,
                untrained,
                margin,
                passes() ? "passes" : "does not pass");
    }

    /** Reads a run's eval.csv (step, clips_seen, metric, ...); needs the step-0 row and one more. */
    public static PublishGate read(Path evalCsv, double margin) throws IOException {
        if (!Files.isRegularFile(evalCsv)) {
            throw new IOException(evalCsv + ": missing; the gate needs validation scores (train with --val-root)");
        }
        List<String> lines = Files.readAllLines(evalCsv);
        if (lines.isEmpty()) {
            throw new IOException(evalCsv + ": empty");
        }
        String[] header = lines.get(0).split(",");
        if (header.length < 3 || !header[0].equals("step")) {
            throw new IOException(evalCsv + ": expected a header 'step,clips_seen,<metric>,...', got " + lines.get(0));
        }
        Double untrained = null;
        double best = Double.NEGATIVE_INFINITY;
        long bestStep = -1;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            try {
                long step = Long.parseLong(f[0].trim());
                double score = Double.parseDouble(f[2].trim());
                if (step == 0) {
                    untrained = score;
                } else if (score > best) {
                    best = score;
                    bestStep = step;
                }
            } catch (RuntimeException e) {
                throw new IOException(evalCsv + " line " + (i + 1) + ": not 'step,clips,score': " + lines.get(i));
            }
        }
        if (untrained == null) {
            throw new IOException(evalCsv + ": no step-0 row (the untrained score); train with --eval-at-start");
        }
        if (bestStep < 0) {
            throw new IOException(evalCsv + ": no checkpoint was scored after step 0");
        }
        return new PublishGate(header[2], untrained, best, bestStep, margin);
    }
}
