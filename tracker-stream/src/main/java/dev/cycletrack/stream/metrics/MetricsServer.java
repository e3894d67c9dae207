package dev.cycletrack.stream.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Serves {@code /metrics} (Prometheus text format) and {@code /health} on the tracker's HTTP port. */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public MetricsServer(int port, TrackerMetrics metrics, Supplier<String> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", ex -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/health", ex -> {
            String state = health.get();
            byte[] body = state.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(
                    state.startsWith("RUNNING") || state.startsWith("REBALANCING") ? 200 : 503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cycletrack-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
