package dev.cycletrack.trainer.bench;

import dev.cycletrack.core.bench.BenchOutput;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.VideoLibrary;
import dev.cycletrack.trainer.train.TrainConfig;
import dev.cycletrack.trainer.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack bench train}: training throughput, and the share of the walk, warp and loss. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Training throughput: clips/s of a full STFC3 step (encoder + head forward/backward in training",
            "mode, warp, transitions, cycles, loss, Adam) at 256x256 (the reference size) and at the size we",
            "train at, beside the model's forward+backward alone on the same batch, so the overhead of the",
            "walk, warp and loss is visible. Clips come from the shipped sample video. Median of --repeats",
            "steps after one warm-up step. Writes docs/benchmarks.md (section 'bench train')."
        })
public final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", description = "Crop sizes to measure (default ${DEFAULT-VALUE}).")
    List<Integer> sizes = new ArrayList<>(List.of(256, 64));

    @Option(names = "--batch-size", description = "Clips per step (default ${DEFAULT-VALUE}).")
    int batchSize = 4;

    @Option(names = "--clip-length", description = "T (default ${DEFAULT-VALUE}).")
    int clipLength = 4;

    @Option(
            names = "--layers",
            split = ",",
            description =
                    "Trunk layers feeding the head to measure: layer4 (reference) and/or layer3 (default ${DEFAULT-VALUE}).")
    List<String> layers = new ArrayList<>(List.of("layer4", "layer3"));

    @Option(names = "--repeats", description = "Measured steps per setting (default ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--threads", description = "PyTorch intra-op threads; 0 = default (default ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--video", description = "Video to take clips from (default: the shipped J-HMDB sample).")
    Path video;

    @Mixin
    BenchOutput output = new BenchOutput();

    /** One measured setting. */
    record Row(int size, String layer, int grid, double stepMs, double encoderMs, double clipsPerSecond) {
        double overhead() {
            return (stepMs - encoderMs) / encoderMs;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path file = video != null ? video : defaultVideo();
        List<Row> rows = new ArrayList<>();
        for (String layer : layers) {
            for (int size : sizes) {
                TrainConfig c = new TrainConfig();
                c.videos = List.of(file.toString());
                c.cropSize = size;
                c.batchSize = batchSize;
                c.clipLength = clipLength;
                c.trainLayer = layer;
                c.threads = threads;
                c.steps = 1 + repeats;
                VideoLibrary lib =
                        VideoLibrary.load(List.of(file), 0, size, clipLength, 16, w -> System.err.println(w));
                ClipSource source = new ClipSource(lib, c);
                ClipSource.Batch batch = source.batch(0);
                try (Trainer t = Trainer.create(c, source)) {
                    t.stepOn(batch); // warm-up
                    t.encoderOnlySeconds(batch);
                    double[] full = new double[repeats];
                    double[] enc = new double[repeats];
                    int grid = 0;
                    for (int i = 0; i < repeats; i++) {
                        enc[i] = t.encoderOnlySeconds(batch);
                        var r = t.stepOn(batch);
                        full[i] = r.seconds();
                        grid = (int) Math.round(1 / r.chance());
                    }
                    Row row = new Row(
                            size, layer, grid, 1000 * median(full), 1000 * median(enc), batchSize / median(full));
                    rows.add(row);
                    System.err.printf(
                            Locale.ROOT,
                            "%s %dx%d: step %.0f ms (%.2f clips/s), model fwd+bwd %.0f ms, walk+warp+loss+Adam +%.0f%%%n",
                            layer,
                            size,
                            size,
                            row.stepMs(),
                            row.clipsPerSecond(),
                            row.encoderMs(),
                            100 * row.overhead());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch_size", batchSize);
        out.put("clip_length", clipLength);
        out.put("rows", rows);
        out.put("cpu", dev.cycletrack.core.bench.BenchmarkDoc.cpuModel());
        out.put("threads", threads);
        output.publish(out, "bench train", () -> markdown(rows));
        return 0;
    }

    private String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Training throughput (`./cycletrack bench train`)\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "Measured %s on %s, %d cores, PyTorch threads %s, batch %d clips of T = %d"
                        + " (%d frames per step), ResNet-18 + 1x1 head (2048 -> 512), fp32, DJL PyTorch CPU."
                        + " Median of %d steps after a warm-up. `./cycletrack bench train --batch-size %d`.\n\n",
                LocalDate.now(),
                dev.cycletrack.core.bench.BenchmarkDoc.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                threads == 0 ? "default" : Integer.toString(threads),
                batchSize,
                clipLength,
                2 * batchSize * clipLength,
                repeats,
                batchSize));
        sb.append(
                "| trunk to | crop | grid | full step ms | clips/s | model fwd+bwd alone ms | walk + warp + loss + Adam |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            int side = (int) Math.round(Math.sqrt(r.grid()));
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %dx%d | %dx%d | %.0f | %.2f | %.0f | +%.0f%% |\n",
                    r.layer(),
                    r.size(),
                    r.size(),
                    side,
                    side,
                    r.stepMs(),
                    r.clipsPerSecond(),
                    r.encoderMs(),
                    100 * r.overhead()));
        }
        sb.append("\nTarget: the walk, warp and loss add at most 40% on top of the model's forward+backward.\n");
        return sb.toString();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static Path defaultVideo() throws IOException {
        Path root = ProjectPaths.root().orElse(Path.of(""));
        Path v = root.resolve(
                "samples/jhmdb/Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2/Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2.avi");
        if (!Files.isRegularFile(v)) {
            throw new IOException("sample video " + v + " not found; give --video FILE");
        }
        return v;
    }

    /** Registers {@code bench train} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new BenchTrainCommand();
        }

        @Override
        public String parent() {
            return "bench";
        }
    }
}
