package dev.cycletrack.trainer.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-step CSV log ({@code train.csv}) and the loss-curve PNG beside the checkpoints. On resume the
 * rows of steps after the checkpoint are dropped, so the log always describes the run as it continued.
 */
public final class TrainLog implements AutoCloseable {

    public static final String HEADER =
            "step,epoch,clips_seen,loss,cycle_accuracy,chance_accuracy,mask_fraction,lr,edge_dropout,crop_scale_min,"
                    + "step_seconds,clips_per_second,elapsed_seconds,skipped,cycle_losses";

    private final Path file;
    private final BufferedWriter out;
    private final List<Double> steps = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> accuracies = new ArrayList<>();
    private double cells = 0;

    /** Opens {@code file}, keeping the rows of steps below {@code firstStep} (0: start afresh). */
    public TrainLog(Path file, long firstStep) throws IOException {
        this.file = file;
        List<String> kept = new ArrayList<>();
        if (firstStep > 0 && Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("step,") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    long step = Long.parseLong(f[0]);
                    if (step < firstStep) {
                        kept.add(line);
                        steps.add((double) step);
                        losses.add(Double.parseDouble(f[3]));
                        accuracies.add(Double.parseDouble(f[4]));
                        cells = 1 / Double.parseDouble(f[5]);
                    }
                } catch (RuntimeException e) {
                    throw new IOException(file + ": malformed log row '" + line + "'", e);
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        out.write(HEADER);
        out.newLine();
        for (String line : kept) {
            out.write(line);
            out.newLine();
        }
        out.flush();
    }

    public Path file() {
        return file;
    }

    /** Appends a row (flushed at once, so the log survives a crash). */
    public void append(StepResult r, long epoch, long clipsSeen, double elapsedSeconds) throws IOException {
        StringBuilder cyc = new StringBuilder();
        for (double v : r.cycleLosses()) {
            if (cyc.length() > 0) {
                cyc.append(';');
            }
            cyc.append(String.format(Locale.ROOT, "%.5f", v));
        }
        out.write(String.format(
                Locale.ROOT,
                "%d,%d,%d,%.6f,%.6f,%.6f,%.4f,%.3g,%.3f,%.4f,%.3f,%.3f,%.1f,%s,%s",
                r.step(),
                epoch,
                clipsSeen,
                r.loss(),
                r.accuracy(),
                r.chance(),
                r.maskFraction(),
                r.lr(),
                r.edgeDropout(),
                r.cropScaleMin(),
                r.seconds(),
                r.clips() / Math.max(1e-9, r.seconds()),
                elapsedSeconds,
                r.skipped(),
                cyc));
        out.newLine();
        out.flush();
        steps.add((double) r.step());
        losses.add(r.loss());
        accuracies.add(r.accuracy());
        cells = 1 / r.chance();
    }

    /** Mean loss and accuracy over the last {@code n} logged steps: {loss, accuracy}. */
    public double[] recentMeans(int n) {
        int from = Math.max(0, losses.size() - n);
        double l = 0;
        double a = 0;
        int k = 0;
        for (int i = from; i < losses.size(); i++) {
            l += losses.get(i);
            a += accuracies.get(i);
            k++;
        }
        return k == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {l / k, a / k};
    }

    /** Writes the loss-curve PNG. */
    public void chart(Path png, String title) throws IOException {
        Charts.lossCurve(png, title, steps, losses, accuracies, cells);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
