package dev.cycletrack.trainer.train;

import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.ModelMetadata;
import dev.cycletrack.trainer.nn.TrainingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns training weights into the core's inference artifact: the layer3 trunk (layer4 and the head are
 * dropped), ImageNet test-time normalisation, and a {@code model.json} whose provenance records the
 * objective, padding, data, steps, configuration and git commit.
 */
public final class Exporter {

    private Exporter() {}

    /** The provenance map of {@code model.json}. */
    public static Map<String, Object> provenance(
            TrainConfig config, long steps, long clips, Map<String, Object> data, String gitCommit) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", "cycletrack train");
        p.put("objective", config.usesFc3() ? "fc3" : "stfc3");
        p.put("padding", config.paddingMode().id());
        p.put("steps", steps);
        p.put("clips_seen", clips);
        p.put("train_layer", config.trainLayer);
        p.put("crop_size", config.cropSize);
        p.put("seed", config.seed);
        p.put("data", data);
        p.put("git_commit", gitCommit);
        p.put("deviations_from_reference", config.deviationsFromReference());
        p.put("config", new com.fasterxml.jackson.databind.ObjectMapper().convertValue(config, Map.class));
        return p;
    }

    /** A version string such as {@code stfc3-reflect-s2000-20251122T103000}. */
    public static String version(TrainConfig config, long steps) {
        String stamp = java.time.LocalDateTime.now()
                .withNano(0)
                .toString()
                .replace(":", "")
                .replace("-", "");
        return (config.usesFc3() ? "fc3" : "stfc3") + "-" + config.paddingMode().id() + "-s" + steps + "-" + stamp;
    }

    /**
     * Writes the artifact to {@code dir}, replacing what is there (an earlier export of the same run):
     * saved beside it first, then swapped in.
     */
    public static void export(
            TrainingModel model,
            TrainConfig config,
            String version,
            Map<String, Object> provenance,
            Map<String, Double> scores,
            Path dir)
            throws IOException {
        ModelMetadata metadata =
                ModelMetadata.of(version, config.paddingMode(), provenance).withEvaluation(scores);
        ModelArtifact artifact = ModelArtifact.of(model.trunk(), metadata);
        Path target = dir.toAbsolutePath().normalize();
        Path fresh = target.resolveSibling("." + target.getFileName() + ".new");
        Checkpoint.deleteRecursively(fresh);
        artifact.save(fresh);
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        Checkpoint.deleteRecursively(old);
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(fresh, target);
        Checkpoint.deleteRecursively(old);
    }

    /**
     * {@code git rev-parse HEAD} of the project (with "-dirty" for local changes), or "unknown"; the system
     * property {@code cycletrack.gitCommit} overrides it (runs started from a snapshot of the build).
     */
    public static String gitCommit() {
        String given = System.getProperty("cycletrack.gitCommit");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path root = ProjectPaths.root().orElse(Path.of("").toAbsolutePath());
        String head = run(root, "git", "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String status = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        return head.trim() + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Names of the training videos for the provenance. */
    static List<String> names(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            out.add(f.getFileName().toString());
        }
        return out;
    }
}
