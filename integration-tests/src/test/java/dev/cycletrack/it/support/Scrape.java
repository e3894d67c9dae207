package dev.cycletrack.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads the tracker's Prometheus endpoint over HTTP, as Prometheus would. */
public final class Scrape {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    public static Scrape of(int port) {
        return new Scrape(get(port, "/metrics").body());
    }

    /** GET a path of the tracker's HTTP port; a refused connection reads as status 0. */
    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when /health answers 200 (the Streams application is RUNNING or REBALANCING). */
    public static boolean healthy(int port) {
        try {
            return get(port, "/health").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String text() {
        return text;
    }

    /**
     * The sum of the samples of {@code name} whose labels include {@code labels} (0 when there is none):
     * e.g. value("cycletrack_frames_total", Map.of("result", "invalid")).
     */
    public double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String metric = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!metric.equals(name)) {
                continue;
            }
            Map<String, String> got = new HashMap<>();
            if (brace >= 0) {
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String kv : inner.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = kv.indexOf('=');
                    got.put(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
                }
            }
            if (got.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(line.substring(space + 1));
            }
        }
        return sum;
    }

    public double value(String name) {
        return value(name, Map.of());
    }
}
