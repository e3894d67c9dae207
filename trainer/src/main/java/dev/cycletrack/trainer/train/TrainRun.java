package dev.cycletrack.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.VideoLibrary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A whole training run on disk. Layout of the output folder:
 *
 * <pre>
 * config.json            the effective configuration
 * train.csv, loss.png    per-step log and the loss / cycle-accuracy curve
 * checkpoints/step-N/    checkpoints (the last --keep-checkpoints), resumable with --resume
 * eval.csv, learning-curve.png   validation scores of checkpoints (with --val-root)
 * best/                  inference artifact of the best-scoring checkpoint (with --val-root)
 * model/                 inference artifact of the final weights
 * summary.json           what the run did
 * </pre>
 *
 * Ctrl-C (SIGINT/SIGTERM) finishes the current step, writes a checkpoint and exits.
 */
public final class TrainRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainConfig config;
    private final Path out;
    private final Path resumeFrom;
    private final PrintStream err;
    private volatile boolean stopRequested;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public TrainRun(TrainConfig config, Path out, Path resumeFrom, PrintStream err) {
        this.config = config;
        this.out = out;
        this.resumeFrom = resumeFrom;
        this.err = err;
    }

    /** Loads the training data the configuration names (videos, or the synthetic image). */
    public static VideoLibrary loadData(TrainConfig config, PrintStream err) throws IOException {
        if (config.synthetic && config.syntheticImage != null) {
            Path img = Path.of(config.syntheticImage);
            RgbImage image = VideoLibrary.downscale(Images.readRgb(img), config.cacheShortSideOrCrop());
            return VideoLibrary.of(List.of(new VideoLibrary.Video(img, Double.NaN, List.of(image))));
        }
        List<Path> roots = new ArrayList<>();
        for (String v : config.videos) {
            roots.add(Path.of(v));
        }
        List<Path> files = VideoLibrary.listVideos(roots);
        if (files.isEmpty()) {
            throw new IOException("--videos " + config.videos + ": no video files found (extensions "
                    + VideoLibrary.VIDEO_EXTENSIONS + ")");
        }
        long t0 = System.nanoTime();
        VideoLibrary lib = VideoLibrary.load(
                files,
                config.fps,
                config.cacheShortSideOrCrop(),
                config.synthetic ? 1 : config.clipLength,
                config.maxFramesPerVideo,
                w -> err.println("warning: " + w));
        err.printf(
                Locale.ROOT,
                "data: %d video(s) usable, %d skipped; %d frames cached at %s, short side %d px (%.1f s)%n",
                lib.videos().size(),
                lib.skipped().size(),
                lib.totalFrames(),
                config.fps > 0 ? config.fps + " fps" : "native fps",
                config.cacheShortSideOrCrop(),
                (System.nanoTime() - t0) / 1e9);
        return lib;
    }

    static Map<String, Object> describeData(VideoLibrary lib, TrainConfig config) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (VideoLibrary.Video v : lib.videos()) {
            names.add(v.file().getFileName() + " (" + v.frameCount() + " frames)");
        }
        d.put("videos", names);
        d.put("roots", config.videos);
        d.put("fps", config.fps);
        d.put("short_side", config.cacheShortSideOrCrop());
        d.put("frames", lib.totalFrames());
        List<String> skipped = new ArrayList<>();
        for (VideoLibrary.Skipped s : lib.skipped()) {
            skipped.add(s.file().getFileName() + ": " + s.reason());
        }
        d.put("skipped", skipped);
        d.put("synthetic", config.synthetic);
        return d;
    }

    /** Runs (or continues) the training; returns the summary also written to summary.json. */
    public ObjectNode run() throws Exception {
        config.validate();
        Charts.warmUp();
        Path checkpoint = null;
        if (resumeFrom != null) {
            checkpoint = Checkpoint.resolve(resumeFrom)
                    .orElseThrow(
                            () -> new IOException("--resume " + resumeFrom + ": no checkpoint found there (expected"
                                    + " a step-N directory with state.json, or a run folder with checkpoints/)"));
        }
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("config.json").toFile(), config);
        VideoLibrary library = loadData(config, err);
        Map<String, Object> data = describeData(library, config);
        Validator validator = config.valRoot == null ? null : new Validator(config);
        if (validator != null) {
            err.println("validation: " + validator.describe());
        }
        String git = Exporter.gitCommit();
        ClipSource source = new ClipSource(library, config);
        Path checkpoints = out.resolve("checkpoints");
        double elapsedBefore = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        long bestStep = -1;
        Thread hook = new Thread(this::onShutdown, "train-shutdown");
        try (Trainer trainer = Trainer.create(config, source)) {
            if (checkpoint != null) {
                ObjectNode state = Checkpoint.readState(checkpoint);
                trainer.restore(checkpoint);
                elapsedBefore = state.path("elapsed_seconds").asDouble(0);
                bestScore = state.path("best_score").asDouble(Double.NEGATIVE_INFINITY);
                bestStep = state.path("best_step").asLong(-1);
                err.println("resumed from " + checkpoint + " at step " + trainer.completedSteps());
            }
            long start = trainer.completedSteps();
            String title = (config.usesFc3() ? "FC3" : "STFC3") + ", "
                    + config.paddingMode().id() + " padding, " + config.cropSize + " px, batch " + config.batchSize;
            EvalLog evalLog = validator == null ? null : new EvalLog(out.resolve("eval.csv"), start);
            Runtime.getRuntime().addShutdownHook(hook);
            long t0 = System.nanoTime();
            try (TrainLog log = new TrainLog(out.resolve("train.csv"), start);
                    ProgressBar bar = progressBar(start)) {
                if (validator != null && start == 0 && config.evalAtStart) {
                    Map<String, Double> s = validator.score(trainer.model().trunk());
                    evalLog.append(0, 0, s, Double.NaN);
                    err.println("step 0 (untrained): " + format(s));
                    evalLog.chart(out.resolve("learning-curve.png"), title, validator.metric());
                }
                long lastSaved = start;
                long lastLine = System.nanoTime();
                while (trainer.completedSteps() < config.steps && !stopRequested) {
                    StepResult r = trainer.step();
                    long k = trainer.completedSteps();
                    double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                    log.append(r, source.plan().epochOf(r.step() * config.batchSize), trainer.clipsSeen(), elapsed);
                    double[] recent = log.recentMeans(20);
                    String msg = String.format(
                            Locale.ROOT,
                            "loss %.3f acc %.3f (chance %.3f) %.2f clips/s",
                            recent[0],
                            recent[1],
                            r.chance(),
                            r.clips() / Math.max(1e-9, r.seconds()));
                    if (bar != null) {
                        bar.stepTo(k);
                        bar.setExtraMessage(msg);
                    } else if (System.nanoTime() - lastLine > 30e9 || k == config.steps || k == start + 1) {
                        err.printf(Locale.ROOT, "step %d/%d  %s  elapsed %.0f s%n", k, config.steps, msg, elapsed);
                        lastLine = System.nanoTime();
                    }
                    if (r.skipped()) {
                        err.println("warning: step " + r.step() + " had a non-finite loss; no update was made");
                    }
                    boolean atCheckpoint = k % config.checkpointEvery == 0 || k == config.steps;
                    if (atCheckpoint) {
                        save(trainer, checkpoints, log, title, elapsed, bestScore, bestStep);
                        lastSaved = k;
                    }
                    int evalEvery = config.evalEvery > 0 ? config.evalEvery : config.checkpointEvery;
                    if (validator != null && (k % evalEvery == 0 || k == config.steps)) {
                        Map<String, Double> s = validator.score(trainer.model().trunk());
                        double score = s.get(validator.metric());
                        evalLog.append(k, trainer.clipsSeen(), s, recent[0]);
                        evalLog.chart(out.resolve("learning-curve.png"), title, validator.metric());
                        String line = "step " + k + ": " + format(s);
                        if (score > bestScore) {
                            bestScore = score;
                            bestStep = k;
                            Map<String, Object> prov = Exporter.provenance(config, k, trainer.clipsSeen(), data, git);
                            Exporter.export(
                                    trainer.model(), config, Exporter.version(config, k), prov, s, out.resolve("best"));
                            line += "  (best so far: exported to " + out.resolve("best") + ")";
                            if (atCheckpoint) {
                                // Record the new best in the checkpoint just written.
                                save(trainer, checkpoints, log, title, elapsed, bestScore, bestStep);
                            }
                        }
                        if (bar != null) {
                            bar.setExtraMessage(
                                    msg + " | " + validator.metric() + " " + String.format(Locale.ROOT, "%.1f", score));
                        }
                        err.println(line);
                    }
                }
                double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                if (trainer.completedSteps() != lastSaved) {
                    save(trainer, checkpoints, log, title, elapsed, bestScore, bestStep);
                }
                chart(log, title);
                long k = trainer.completedSteps();
                ObjectNode summary = JSON.createObjectNode();
                summary.put("steps", k);
                summary.put("target_steps", config.steps);
                summary.put("interrupted", stopRequested && k < config.steps);
                summary.put("clips_seen", trainer.clipsSeen());
                summary.put("elapsed_seconds", Math.round(elapsed));
                double[] recent = log.recentMeans(50);
                summary.put("loss_last50", recent[0]);
                summary.put("cycle_accuracy_last50", recent[1]);
                summary.put("log", out.resolve("train.csv").toString());
                summary.put("loss_curve", out.resolve("loss.png").toString());
                if (validator != null) {
                    summary.put("best_step", bestStep);
                    summary.put("best_" + validator.metric(), bestScore);
                    summary.put("best_model", out.resolve("best").toString());
                }
                if (!(stopRequested && k < config.steps)) {
                    Map<String, Object> prov = Exporter.provenance(config, k, trainer.clipsSeen(), data, git);
                    Map<String, Double> scores = Map.of();
                    Exporter.export(
                            trainer.model(), config, Exporter.version(config, k), prov, scores, out.resolve("model"));
                    summary.put("model", out.resolve("model").toString());
                }
                JSON.writeValue(out.resolve("summary.json").toFile(), summary);
                if (stopRequested && k < config.steps) {
                    err.println("stopped at step " + k + "; continue with: ./cycletrack train --out " + out
                            + " --resume " + out);
                }
                if (evalLog != null) {
                    evalLog.close();
                }
                return summary;
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // Shutting down already (Ctrl-C) or never registered.
            }
        }
    }

    private void save(
            Trainer trainer,
            Path checkpoints,
            TrainLog log,
            String title,
            double elapsed,
            double bestScore,
            long bestStep)
            throws IOException {
        ObjectNode state = trainer.state(JSON);
        state.put("elapsed_seconds", elapsed);
        if (bestStep >= 0) {
            state.put("best_score", bestScore);
            state.put("best_step", bestStep);
        }
        Path dir = checkpoints.resolve(Checkpoint.dirName(trainer.completedSteps()));
        trainer.saveCheckpoint(dir, state);
        List<Path> all = Checkpoint.list(checkpoints);
        for (int i = 0; i < all.size() - config.keepCheckpoints; i++) {
            Checkpoint.deleteRecursively(all.get(i));
        }
        chart(log, title);
    }

    /** Draws loss.png; a failure (e.g. AWT refusing to start while the JVM shuts down) only warns. */
    private void chart(TrainLog log, String title) {
        try {
            log.chart(out.resolve("loss.png"), title);
        } catch (IOException | RuntimeException | Error e) {
            err.println("warning: could not draw " + out.resolve("loss.png") + ": " + e);
        }
    }

    private ProgressBar progressBar(long start) {
        if (config.noProgress) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(config.steps)
                .startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    /** The shutdown hook: ask the loop to stop after the current step and wait for its checkpoint. */
    private void onShutdown() {
        stopRequested = true;
        err.println();
        err.println("interrupted: finishing the current step and writing a checkpoint...");
        try {
            if (!stopped.await(15, TimeUnit.MINUTES)) {
                err.println("gave up waiting for the checkpoint");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String format(Map<String, Double> scores) {
        StringBuilder sb = new StringBuilder();
        scores.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.2f", v)));
        return sb.toString();
    }

    /** eval.csv: checkpoint scores over training (the learning curve). */
    static final class EvalLog implements AutoCloseable {
        private final Path file;
        private final List<Double> steps = new ArrayList<>();
        private final List<Double> scores = new ArrayList<>();
        private List<String> header;

        EvalLog(Path file, long firstStep) throws IOException {
            this.file = file;
            List<String> keep = new ArrayList<>();
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty()) {
                    header = List.of(lines.get(0).split(","));
                    for (String line : lines.subList(1, lines.size())) {
                        String[] f = line.split(",");
                        if (firstStep > 0 && Long.parseLong(f[0]) <= firstStep) {
                            keep.add(line);
                            steps.add(Double.parseDouble(f[0]));
                            scores.add(Double.parseDouble(f[2]));
                        }
                    }
                }
            }
            List<String> lines = new ArrayList<>();
            if (header != null && !keep.isEmpty()) {
                lines.add(String.join(",", header));
                lines.addAll(keep);
            } else {
                header = null;
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        }

        void append(long step, long clips, Map<String, Double> s, double loss) throws IOException {
            StringBuilder sb = new StringBuilder();
            if (header == null) {
                header = new ArrayList<>(List.of("step", "clips_seen"));
                header.addAll(s.keySet());
                header.add("train_loss");
                Files.writeString(file, String.join(",", header) + "\n", StandardOpenOption.APPEND);
            }
            sb.append(step).append(',').append(clips);
            for (double v : s.values()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.3f", v));
            }
            sb.append(',').append(String.format(Locale.ROOT, "%.4f", loss));
            Files.writeString(file, sb + "\n", StandardOpenOption.APPEND);
            steps.add((double) step);
            scores.add(s.values().iterator().next());
        }

        void chart(Path png, String title, String metric) throws IOException {
            Charts.learningCurve(png, "validation " + metric + ": " + title, metric, steps, scores);
        }

        @Override
        public void close() {}
    }
}
