package dev.cycletrack.core.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cycletrack.core.cli.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Where a bench command's figures go, shared by every {@code bench} subcommand as a picocli mixin:
 * JSON on stdout (and in {@code --json}), and its section of docs/benchmarks.md unless {@code --no-doc}.
 */
public final class BenchOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(names = "--doc", description = "Markdown file to update (default: the project's docs/benchmarks.md).")
    Path doc;

    @Option(names = "--no-doc", description = "Do not update the markdown file.")
    boolean noDoc;

    /** Prints and writes the figures; the markdown is only rendered when the section is written. */
    public void publish(Map<String, Object> figures, String section, Supplier<String> markdown) throws IOException {
        String text = JSON.writeValueAsString(figures);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text);
        }
        if (!noDoc) {
            Path file = doc != null ? doc : ProjectPaths.docs().resolve("benchmarks.md");
            BenchmarkDoc.writeSection(file, section, markdown.get());
            System.err.println("updated " + file);
        }
    }

    /** Skips the doc section. */
    public void skipDoc() {
        noDoc = true;
    }
}
