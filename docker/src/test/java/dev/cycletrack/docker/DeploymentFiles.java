package dev.cycletrack.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files under {@code docker/}, read and parsed for the tests. */
final class DeploymentFiles {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentFiles() {}

    /** {@code docker/}: Surefire runs in the module folder; the files sit beside the pom. */
    static Path dockerDir() {
        Path dir = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("compose.yaml"))) {
            dir = dir.resolve("docker");
        }
        if (!Files.isRegularFile(dir.resolve("compose.yaml"))) {
            throw new IllegalStateException(
                    "docker/compose.yaml not found from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path projectRoot() {
        return dockerDir().getParent();
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode compose() {
        return yaml(dockerDir().resolve("compose.yaml"));
    }

    static Path dashboardFile() {
        return dockerDir().resolve("grafana/dashboards/cycletrack.json");
    }

    /** Every PromQL expression of the dashboard: panel targets, panels nested in rows included. */
    static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        collectExpressions(dashboard.path("panels"), out);
        return out;
    }

    private static void collectExpressions(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.add(target.get("expr").asText());
                }
            }
            collectExpressions(panel.path("panels"), out);
        }
    }

    /** Every series selector of every dashboard query. */
    static List<PromQl.Selector> dashboardSelectors() {
        List<PromQl.Selector> out = new ArrayList<>();
        for (String expr : dashboardExpressions(json(dashboardFile()))) {
            out.addAll(PromQl.selectors(expr));
        }
        return out;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
