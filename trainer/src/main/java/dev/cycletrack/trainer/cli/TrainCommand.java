package dev.cycletrack.trainer.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.trainer.publish.ModelAnnouncer;
import dev.cycletrack.trainer.publish.ModelStore;
import dev.cycletrack.trainer.publish.PublishGate;
import dev.cycletrack.trainer.train.Checkpoint;
import dev.cycletrack.trainer.train.TrainConfig;
import dev.cycletrack.trainer.train.TrainRun;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack train}: STFC3 / FC3 self-supervised training. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 120,
        abbreviateSynopsis = true,
        description = {
            "Self-supervised STFC3 (or vanilla FC3) training of the ResNet-18 correspondence encoder on",
            "unlabelled videos (shared/SPEC.md section 3). Every constant of the reference recipe is an option",
            "with the reference value as default; --config FILE sets them from JSON (keys = the field names",
            "written to OUT/config.json), options on the command line override the file.",
            "",
            "Writes into OUT: config.json, train.csv + loss.png (per-step loss, cycle accuracy, clips/s),",
            "checkpoints/step-N/ (resume with --resume OUT), eval.csv + learning-curve.png and best/ with",
            "--val-root, model/ (the final inference artifact: layer3 trunk + model.json), summary.json.",
            "Ctrl-C finishes the current step, writes a checkpoint and exits.",
            "",
            "Small-budget example (2 CPU cores, SPEC 3.3b):",
            "  ./cycletrack train --videos ../shared/data/videos --out /work/runs/stfc3 --crop-size 64 \\",
            "     --batch-size 8 --train-layer layer3 --lr 3e-4 --edge-dropout-start 300 \\",
            "     --crop-curriculum-start 0.6 --crop-curriculum-steps 1500 --steps 3000 --threads 1",
            ""
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder of the run.")
    Path out;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "JSON file of settings (keys as in OUT/config.json); command-line options override it.")
    Path config;

    @Option(
            names = "--resume",
            paramLabel = "PATH",
            description = "Continue from a checkpoint: a step-N directory, a checkpoints/ folder or a run folder"
                    + " (its latest checkpoint). The checkpoint's settings are used; options given here override"
                    + " them (e.g. a larger --steps).")
    Path resume;

    @Mixin
    TrainConfig settings = new TrainConfig();

    @Option(
            names = "--publish",
            description = "After training, publish the best checkpoint (OUT/best) if it passes the gate: its"
                    + " validation score beats the untrained encoder's (step 0) by --gate-margin. Needs --val-root.")
    boolean publish;

    @Option(
            names = "--gate-margin",
            description = "Points the best checkpoint must gain over the untrained encoder (default ${DEFAULT-VALUE}).")
    double gateMargin = 0;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description = "Model store for --publish (default ${DEFAULT-VALUE}).")
    Path store = Path.of("models", "store");

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "With --publish: also announce the version on this Kafka's models topic.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Topic prefix for the announcement (default ${DEFAULT-VALUE}).")
    String topicPrefix = dev.cycletrack.schemas.TopicRegistry.DEFAULT_PREFIX;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public Integer call() throws Exception {
        TrainConfig effective = settings;
        if (resume != null) {
            Path ckpt = Checkpoint.resolve(resume)
                    .orElseThrow(() -> new IOException("--resume " + resume + ": no checkpoint found (expected a"
                            + " step-N directory with state.json, or a run folder with checkpoints/)"));
            ObjectNode state = Checkpoint.readState(ckpt);
            JsonNode saved = state.get("config");
            if (saved == null) {
                throw new IOException(ckpt.resolve(Checkpoint.STATE) + ": has no \"config\"");
            }
            effective = overlay(JSON.treeToValue(saved, TrainConfig.class), "the checkpoint");
        } else if (config != null) {
            effective = overlay(readConfig(config), config.toString());
        }
        if (publish && effective.valRoot == null) {
            throw new IllegalArgumentException("--publish needs --val-root: the gate compares validation scores");
        }
        new TrainRun(effective, out, resume, System.err).run();
        System.err.println("done: " + out.resolve("summary.json"));
        if (publish) {
            publishIfBetter();
        }
        return 0;
    }

    private void publishIfBetter() throws Exception {
        PublishGate gate = PublishGate.read(out.resolve("eval.csv"), gateMargin);
        System.err.println("publish gate: " + gate.explain());
        if (!gate.passes()) {
            System.err.println("not published");
            return;
        }
        ModelVersion record = new ModelStore(store).add(out.resolve("best"), "stfc3", null);
        System.err.println("published " + record.getVersion() + " to " + record.getUri());
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            ModelAnnouncer.announce(bootstrapServers, topicPrefix, record, Duration.ofSeconds(30));
            System.err.println("announced on " + bootstrapServers);
        }
    }

    /** Reads a --config file; unknown keys and bad values are reported with the file name. */
    static TrainConfig readConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("--config " + file + ": no such file");
        }
        try {
            return JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IOException("--config " + file + ": unknown setting \"" + e.getPropertyName()
                    + "\" (settings are the keys of a run's config.json)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("--config " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " at line " + e.getLocation().getLineNr()));
        }
    }

    /** Copies the options given on the command line over {@code base}. */
    private TrainConfig overlay(TrainConfig base, String what) throws IllegalAccessException {
        List<String> overridden = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o :
                spec.commandLine().getParseResult().matchedOptions()) {
            if (o.userObject() instanceof Field f && f.getDeclaringClass() == TrainConfig.class) {
                f.set(base, f.get(settings));
                overridden.add(o.longestName());
            }
        }
        if (!overridden.isEmpty()) {
            System.err.println("options overriding " + what + ": " + String.join(" ", overridden));
        }
        return base;
    }

    /** Registers {@code train} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new TrainCommand();
        }
    }
}
