package dev.cycletrack.core.eval;

import dev.cycletrack.core.SharedData;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.cli.ProgressBars;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.datasets.BadjaDataset;
import dev.cycletrack.core.datasets.DataRoot;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.core.tracking.PropagationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack eval}: scores a method on DAVIS-2016, BADJA or J-HMDB. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Tracks every sequence of a dataset from its first-frame labels and scores it.",
            "Scores: DAVIS J, F and J&F; BADJA and J-HMDB PCK@0.1 and @0.2 (percent).",
            "Prints a per-sequence table and the mean; --json writes them for other tools."
        })
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, description = "davis2016, badja or jhmdb")
    String dataset;

    @Option(
            names = "--root",
            description = "Folder laid out like shared/data (holding davis2016/, badja/, jhmdb/)."
                    + " Default: the shared/data folder beside the project.")
    Path root;

    @Option(names = "--sequences", split = ",", description = "Sequences to evaluate (default: all with ground truth).")
    List<String> sequences;

    @Option(
            names = "--method",
            defaultValue = "model",
            description = "identity, lk, random or model (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--model", description = "Model artifact directory (default: the project's models/stfc3).")
    Path model;

    @Option(names = "--preset", description = "vos, pose or face (default: vos for DAVIS and BADJA, pose for J-HMDB).")
    String preset;

    @Option(names = "--input-size", description = "Override the preset's resize: native, short:<px>, square:<px>.")
    String inputSize;

    @Option(names = "--context", description = "Override m, the number of recent frames in the context.")
    Integer context;

    @Option(names = "--radius", description = "Override r, the neighbourhood radius in grid cells.")
    Double radius;

    @Option(names = "--topk", description = "Override k.")
    Integer topK;

    @Option(names = "--temperature", description = "Override tau.")
    Double temperature;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the random encoder (method random; default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--padding",
            defaultValue = "reflect",
            description = "Padding of the random encoder: reflect, zero, replicate, none.")
    String padding;

    @Option(
            names = "--propagator",
            defaultValue = "windowed",
            description = "windowed (default) or dense (the slow reference path).")
    String propagator;

    @Option(names = "--json", description = "Write the report as JSON to this file.")
    Path json;

    @Option(names = "--overlays", description = "Write an overlay video per sequence into this folder.")
    Path overlays;

    @Override
    public Integer call() throws Exception {
        EvalDataset ds = EvalDataset.parse(dataset);
        EvalMethod how = EvalMethod.parse(method);
        Path dataRoot = root != null
                ? root
                : SharedData.data()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "no --root given and no shared/data folder found beside the project"));
        if (!Files.isDirectory(dataRoot)) {
            throw new IllegalArgumentException("--root " + dataRoot + " is not a folder");
        }
        PropagationSettings settings = settings(ds);
        String modelName = null;
        ModelArtifact artifact = null;
        if (how == EvalMethod.RANDOM) {
            artifact = ModelArtifact.createRandom(
                    seed, PaddingMode.valueOf(padding.trim().toUpperCase(java.util.Locale.ROOT)));
            modelName = "random-seed" + seed + "-" + padding;
        } else if (how == EvalMethod.MODEL) {
            Path dir = model != null
                    ? model
                    : ProjectPaths.model("stfc3")
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "no --model given and the default models/stfc3 is not in this project"));
            artifact = ModelArtifact.load(dir);
            modelName = artifact.metadata().version() + " (" + dir + ")";
        }
        Encoder encoder = artifact == null ? null : artifact.encoder();
        try {
            Propagator prop = switch (propagator) {
                case "windowed" -> Propagator.windowed();
                case "dense" -> Propagator.dense();
                default ->
                    throw new IllegalArgumentException("--propagator must be windowed or dense, got " + propagator);
            };
            TrackerFactory factory = new TrackerFactory(how, encoder, settings, prop);
            EvalReport report = run(ds, how, modelName, settings, DataRoot.open(dataRoot), factory);
            System.out.println();
            System.out.println(ds.id() + " / " + how.id() + (modelName == null ? "" : " / " + modelName)
                    + (how.usesEncoder() ? " / " + settings : ""));
            report.printTable(System.out);
            if (report.settings().containsKey("encode_ms")) {
                System.out.printf(
                        java.util.Locale.ROOT,
                        "per frame: encode %.0f ms, propagate %.0f ms, decode %.0f ms%n",
                        report.settings().get("encode_ms"),
                        report.settings().get("propagate_ms"),
                        report.settings().get("decode_ms"));
            }
            if (json != null) {
                report.writeJson(json);
                System.out.println("wrote " + json);
            }
            return 0;
        } finally {
            if (encoder != null) {
                encoder.close();
            }
            if (artifact != null) {
                artifact.close();
            }
        }
    }

    private PropagationSettings settings(EvalDataset ds) {
        Preset p = preset == null ? ds.defaultPreset() : Preset.parse(preset);
        PropagationSettings s = PropagationSettings.of(p);
        if (inputSize != null) {
            s = s.withInputSize(InputSize.parse(inputSize));
        }
        PropagationParams params = s.params();
        if (context != null) {
            params = params.withContextLength(context);
        }
        if (radius != null) {
            params = params.withRadius(radius);
        }
        if (topK != null) {
            params = params.withTopK(topK);
        }
        if (temperature != null) {
            params = params.withTemperature(temperature);
        }
        return s.withParams(params);
    }

    private EvalReport run(
            EvalDataset ds,
            EvalMethod how,
            String modelName,
            PropagationSettings settings,
            DataRoot data,
            TrackerFactory factory)
            throws IOException {
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Map<String, Double>> perSequence;
        Evaluator evaluator;
        switch (ds) {
            case DAVIS2016 -> {
                DavisDataset davis = data.davis()
                        .orElseThrow(() -> new IllegalArgumentException("no davis2016/ folder under " + data.root()));
                List<String> names = select(davis.sequences(), "DAVIS");
                long total = 0;
                for (String n : names) {
                    total += davis.sequence(n).frameCount();
                }
                evaluator = withProgress(ds, factory, total, e -> e.davis(davis, names, mean));
            }
            case BADJA -> {
                BadjaDataset badja = data.badja()
                        .orElseThrow(() -> new IllegalArgumentException("no badja/ folder under " + data.root()));
                List<String> names = select(badja.sequences(), "BADJA");
                long total = 0;
                for (String n : names) {
                    total += badja.sequence(n).propagationFrames().size();
                }
                evaluator = withProgress(ds, factory, total, e -> e.badja(badja, names, mean));
            }
            case JHMDB -> {
                List<Path> clips = new ArrayList<>();
                for (Path clip : data.jhmdbClips()) {
                    if (sequences == null
                            || sequences.contains(clip.getFileName().toString())) {
                        clips.add(clip);
                    }
                }
                if (clips.isEmpty()) {
                    throw new IllegalArgumentException("no J-HMDB clips " + (sequences == null ? "" : sequences + " ")
                            + "under " + data.root().resolve("jhmdb"));
                }
                long total = 0;
                for (Path c : clips) {
                    total += JhmdbClip.open(c).frameCount();
                }
                evaluator = withProgress(ds, factory, total, e -> e.jhmdb(clips, mean));
            }
            default -> throw new IllegalStateException();
        }
        perSequence = evaluator.results();
        Map<String, Object> used = new LinkedHashMap<>();
        if (how.usesEncoder()) {
            used.put("input_size", settings.inputSize().toString());
            used.put("m", settings.params().contextLength());
            used.put("radius", settings.params().radius());
            used.put("topk", settings.params().topK());
            used.put("temperature", settings.params().temperature());
            used.putAll(evaluator.stageMillis());
        }
        return new EvalReport(ds.id(), how.id(), modelName, used, perSequence, mean);
    }

    private List<String> select(List<String> available, String what) {
        if (sequences == null) {
            if (available.isEmpty()) {
                throw new IllegalArgumentException("no " + what + " sequences with ground truth found");
            }
            return available;
        }
        for (String s : sequences) {
            if (!available.contains(s)) {
                throw new IllegalArgumentException(
                        "unknown " + what + " sequence '" + s + "'; available: " + available);
            }
        }
        return sequences;
    }

    /** One evaluation pass over a dataset, returning the per-sequence scores. */
    @FunctionalInterface
    private interface Pass {
        Map<String, Map<String, Double>> run(Evaluator evaluator) throws IOException;
    }

    private Evaluator withProgress(EvalDataset ds, TrackerFactory factory, long totalFrames, Pass pass)
            throws IOException {
        try (ProgressBar bar = ProgressBars.create("eval " + ds.id(), totalFrames, "frames")) {
            Evaluator evaluator = new Evaluator(factory, overlays, listener(bar));
            evaluator.keep(pass.run(evaluator));
            return evaluator;
        }
    }

    private static Evaluator.Listener listener(ProgressBar bar) {
        return new Evaluator.Listener() {
            @Override
            public void sequenceStarted(String name, int frames) {
                bar.setExtraMessage(name);
            }

            @Override
            public void frameDone() {
                bar.step();
            }
        };
    }

    /** Registers {@code eval} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new EvalCommand();
        }
    }
}
