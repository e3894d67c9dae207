package dev.cycletrack.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one {@code eval} run, in the JSON contract other commands read: {@code {"dataset",
 * "method", "model", "sequences": {name: {...}}, "mean": {...}}}, scores in percent.
 */
@JsonPropertyOrder({"dataset", "method", "model", "settings", "sequences", "mean"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(
        String dataset,
        String method,
        String model,
        Map<String, Object> settings,
        Map<String, Map<String, Double>> sequences,
        Map<String, Double> mean) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), this);
    }

    public static EvalReport readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), EvalReport.class);
    }

    /** A per-sequence table and the mean, aligned for a terminal. */
    public void printTable(PrintStream out) {
        List<String> columns = new ArrayList<>(mean.keySet());
        int nameWidth = Math.max(
                8, sequences.keySet().stream().mapToInt(String::length).max().orElse(8));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "sequence"));
        for (String c : columns) {
            header.append(String.format(Locale.ROOT, " %9s", c));
        }
        out.println(header);
        out.println("-".repeat(header.length()));
        for (Map.Entry<String, Map<String, Double>> e : sequences.entrySet()) {
            out.println(row(e.getKey(), e.getValue(), columns, nameWidth));
        }
        out.println("-".repeat(header.length()));
        out.println(row("mean", mean, columns, nameWidth));
    }

    private static String row(String name, Map<String, Double> values, List<String> columns, int width) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", name));
        for (String c : columns) {
            Double v = values.get(c);
            b.append(v == null ? String.format(Locale.ROOT, " %9s", "-") : String.format(Locale.ROOT, " %9.2f", v));
        }
        return b.toString();
    }

    /** Ordered map helper for building reports. */
    static Map<String, Double> scores(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], ((Number) keyValues[i + 1]).doubleValue());
        }
        return m;
    }
}
