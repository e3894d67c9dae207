package dev.cycletrack.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cycletrack track} in its own JVM (the class path of this test JVM), so a test can kill it
 * with SIGKILL ({@link Process#destroyForcibly}) as a crashed machine would die: no shutdown hook, no
 * commit, no leaving the group. Its output goes to a log file beside the test's reports.
 */
public final class TrackerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private TrackerProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts {@code track} with these options plus --http-port (a free port) and --model random. */
    public static TrackerProcess start(String name, List<String> trackOptions) throws IOException {
        int port = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx1g",
                // As the launcher: the same propagation kernels as the test JVM, so labels match bit for bit.
                "--add-modules",
                "jdk.incubator.vector",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cycletrack.core.cli.Cycletrack",
                "track",
                "--model",
                "random",
                "--http-port",
                String.valueOf(port)));
        cmd.addAll(trackOptions);
        Path logs = Reports.dir().resolve("logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new TrackerProcess(name, p, port, log);
    }

    /** Waits until /health says the Streams application runs. */
    public TrackerProcess awaitHealthy(Duration timeout) {
        Poll.until(
                name + " healthy on :" + httpPort,
                timeout,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
                    }
                    return Scrape.healthy(httpPort);
                },
                this::tail);
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, mid-frame, with nothing flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The last lines of its log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM (the tracker's shutdown hook closes it cleanly), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
