package dev.cycletrack.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the figures a test measured to {@code target/reliability/<case>.json} (and prints them), so
 * docs/reliability.md quotes real runs.
 */
public final class Reports {

    private Reports() {}

    public static Path dir() {
        return Path.of(System.getProperty("it.reports", "target/reliability"));
    }

    public static void write(String name, Map<String, ?> figures) {
        try {
            String json = new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(figures);
            Files.createDirectories(dir());
            Files.writeString(dir().resolve(name + ".json"), json);
            System.out.println("[reliability] " + name + " " + json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rounds to 0.1 for the reports. */
    public static double r1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The p-th percentile (nearest rank) of values, 0 for none. */
    public static double percentile(java.util.List<Double> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
