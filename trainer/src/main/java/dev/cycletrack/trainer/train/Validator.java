package dev.cycletrack.trainer.train;

import dev.cycletrack.core.datasets.BadjaDataset;
import dev.cycletrack.core.datasets.DataRoot;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.InputNormalization;
import dev.cycletrack.core.encoder.ResNetTrunk;
import dev.cycletrack.core.eval.EvalDataset;
import dev.cycletrack.core.eval.EvalMethod;
import dev.cycletrack.core.eval.Evaluator;
import dev.cycletrack.core.eval.TrackerFactory;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.tracking.PropagationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the current weights with the core's evaluation (label propagation with the layer3 trunk,
 * test-time normalisation, running BN statistics) on a user-given validation set, usually a few DAVIS
 * sequences at reduced resolution. The primary metric is DAVIS J&F or PCK@0.1.
 */
public final class Validator {

    private final EvalDataset dataset;
    private final DataRoot root;
    private final List<String> sequences;
    private final List<Path> clips;
    private final PropagationSettings settings;

    public Validator(TrainConfig config) throws IOException {
        Path rootDir = Path.of(config.valRoot);
        if (!Files.isDirectory(rootDir)) {
            throw new IllegalArgumentException("--val-root " + rootDir + " is not a folder");
        }
        this.dataset = EvalDataset.parse(config.valDataset);
        this.root = DataRoot.open(rootDir);
        this.settings = settings(config, dataset);
        List<String> wanted = config.valSequences;
        switch (dataset) {
            case DAVIS2016 -> {
                DavisDataset davis = root.davis()
                        .orElseThrow(
                                () -> new IllegalArgumentException("--val-root " + rootDir + " has no davis2016/"));
                sequences = pick(davis.sequences(), wanted, "DAVIS", rootDir);
                clips = List.of();
            }
            case BADJA -> {
                BadjaDataset badja = root.badja()
                        .orElseThrow(() -> new IllegalArgumentException("--val-root " + rootDir + " has no badja/"));
                sequences = pick(badja.sequences(), wanted, "BADJA", rootDir);
                clips = List.of();
            }
            case JHMDB -> {
                List<Path> all = new ArrayList<>();
                for (Path c : root.jhmdbClips()) {
                    if (wanted.isEmpty() || wanted.contains(c.getFileName().toString())) {
                        all.add(c);
                    }
                }
                if (all.isEmpty()) {
                    throw new IllegalArgumentException("--val-root " + rootDir + ": no J-HMDB clips " + wanted);
                }
                sequences = List.of();
                clips = all;
            }
            default -> throw new IllegalArgumentException("unsupported --val-dataset " + config.valDataset);
        }
    }

    private static List<String> pick(List<String> available, List<String> wanted, String what, Path root) {
        if (wanted.isEmpty()) {
            return available;
        }
        for (String s : wanted) {
            if (!available.contains(s)) {
                throw new IllegalArgumentException("--val-sequences: no " + what + " sequence '" + s + "' under " + root
                        + "; available: " + available);
            }
        }
        return List.copyOf(wanted);
    }

    /** The preset, resized as asked, with the radius scaled to the new grid unless given. */
    static PropagationSettings settings(TrainConfig config, EvalDataset dataset) {
        Preset preset = dataset.defaultPreset();
        PropagationSettings s = PropagationSettings.of(preset);
        InputSize size = InputSize.parse(config.valInputSize);
        s = s.withInputSize(size);
        PropagationParams p = s.params();
        double presetSide = preset == Preset.VOS ? 480 : 320;
        double side = presetSide;
        if (size instanceof InputSize.ShortSide ss) {
            side = ss.size();
        } else if (size instanceof InputSize.Square sq) {
            side = sq.size();
        }
        p = p.withRadius(config.valRadius > 0 ? config.valRadius : Math.max(1, p.radius() * side / presetSide));
        if (config.valContext > 0) {
            p = p.withContextLength(config.valContext);
        }
        return s.withParams(p);
    }

    public String metric() {
        return dataset == EvalDataset.DAVIS2016 ? "JF" : "pck@0.1";
    }

    public String describe() {
        return dataset.id() + " " + (sequences.isEmpty() ? clips.size() + " clip(s)" : sequences) + ", " + settings;
    }

    /** Mean scores of the trunk's current weights (the {@link #metric()} key first). */
    public Map<String, Double> score(ResNetTrunk trunk) throws IOException {
        Map<String, Double> mean = new LinkedHashMap<>();
        try (Encoder encoder = Encoder.fromTrunk(trunk, InputNormalization.IMAGENET)) {
            TrackerFactory factory = new TrackerFactory(EvalMethod.MODEL, encoder, settings);
            Evaluator evaluator = new Evaluator(factory, null, new Evaluator.Listener() {
                @Override
                public void sequenceStarted(String name, int frames) {}

                @Override
                public void frameDone() {}
            });
            switch (dataset) {
                case DAVIS2016 -> evaluator.davis(root.davis().orElseThrow(), sequences, mean);
                case BADJA -> evaluator.badja(root.badja().orElseThrow(), sequences, mean);
                case JHMDB -> evaluator.jhmdb(clips, mean);
                default -> throw new IllegalStateException();
            }
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        ordered.put(metric(), mean.get(metric()));
        ordered.putAll(mean);
        return ordered;
    }
}
