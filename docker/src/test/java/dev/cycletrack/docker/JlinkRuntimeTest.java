package dev.cycletrack.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.FramePublisher;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfiles' {@code JLINK_MODULES} are enough: each list is linked with this JDK's jlink (as the
 * images' build stage does), and the app runs on that runtime from the class path the image ships. The
 * tracker runs its compose command for real (Kafka Streams, RocksDB, libtorch, JavaCV, the HTTP server)
 * against a KRaft broker and labels frames; the trainer prints its help and runs an identity eval on the
 * shipped sample (JavaCV decoding, the .mat reader). Skipped where the JDK has no jmods to link from.
 */
class JlinkRuntimeTest {

    @Test
    @Timeout(240)
    void theTrackerRunsItsComposeCommandOnTheTrackerImagesJlinkRuntime(@TempDir Path tmp) throws Exception {
        Path java = link("tracker", Dockerfiles.jlinkModules(Dockerfiles.tracker()));
        List<String> classPath = classPath("tracker-stream");
        int httpPort = freePort();
        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("broker.session.timeout.ms", "60000")
                .build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            // compose's tracker command, with this machine's broker, ports and folders; --catch-up so that a
            // slow CI machine labels the frames rather than skipping them as too old.
            List<String> args = new ArrayList<>();
            List<String> composeArgs = ComposeFileTest.trackerCommandArgs(DeploymentFiles.compose());
            for (int i = 0; i < composeArgs.size(); i++) {
                String a = composeArgs.get(i);
                args.add(a);
                switch (a) {
                    case "--bootstrap-servers" -> args.add(kafka.bootstrapServers());
                    case "--http-port" -> args.add(String.valueOf(httpPort));
                    case "--data-dir" -> args.add(tmp.resolve("data").toString());
                    default -> {
                        continue;
                    }
                }
                i++; // the value compose gives, replaced above
            }
            assertTrue(args.contains(String.valueOf(httpPort)), "compose sets --http-port: " + composeArgs);
            args.add("--catch-up");
            Process tracker = start(java, classPath, args, tmp.resolve("tracker.log"));
            try {
                String metrics = "http://localhost:" + httpPort + "/metrics";
                await(() -> get(metrics).contains("cycletrack_model_info"), tracker, tmp.resolve("tracker.log"));
                publish(kafka.bootstrapServers(), new TopicRegistry(TopicRegistry.DEFAULT_PREFIX), 3);
                await(() -> labelled(get(metrics)) >= 3, tracker, tmp.resolve("tracker.log"));
                assertEquals(200, status("http://localhost:" + httpPort + "/health"), "/health while RUNNING");
            } finally {
                stop(tracker);
            }
        }
    }

    @Test
    @Timeout(180)
    void theTrainerRunsOnTheTrainerImagesJlinkRuntime(@TempDir Path tmp) throws Exception {
        Path java = link("trainer", Dockerfiles.jlinkModules(Dockerfiles.trainer()));
        List<String> classPath = classPath("trainer");
        Path log = tmp.resolve("trainer.log");
        Process help = start(java, classPath, List.of("train", "--help"), log);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS), "train --help finished");
        assertEquals(0, help.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("--videos"), Files.readString(log));

        Path samples = Samples.locate().orElseThrow(() -> new IllegalStateException("the shipped samples/ is missing"));
        Process eval = start(
                java,
                classPath,
                List.of("eval", "--dataset", "jhmdb", "--root", samples.toString(), "--method", "identity"),
                log);
        assertTrue(eval.waitFor(120, TimeUnit.SECONDS), "eval finished");
        assertEquals(0, eval.exitValue(), Files.readString(log));
    }

    // ---- jlink and the child JVM ----

    /** Links {@code modules} into target/jlink/{@code image} (reused while the list is unchanged); its java. */
    private static Path link(String image, List<String> modules) throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        Path jlink = jdk.resolve("bin/jlink");
        assumeTrue(
                Files.isDirectory(jdk.resolve("jmods")) && Files.isExecutable(jlink),
                "this JDK (" + jdk + ") has no jmods/ or no jlink: the image's jlink step cannot be tried here");
        Path out = Path.of("target", "jlink", image).toAbsolutePath();
        Path stamp = out.resolveSibling(image + ".modules");
        String wanted = String.join(",", modules) + " " + Runtime.version();
        if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(wanted) || !Files.isDirectory(out)) {
            deleteTree(out);
            Files.createDirectories(out.getParent());
            // As the Dockerfile, less --compress: compression changes the size, not what is linked.
            Path log = out.resolveSibling(image + "-jlink.log");
            Process p = new ProcessBuilder(
                            jlink.toString(),
                            "--add-modules",
                            String.join(",", modules),
                            "--strip-debug",
                            "--no-header-files",
                            "--no-man-pages",
                            "--output",
                            out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertTrue(p.waitFor(150, TimeUnit.SECONDS), "jlink finished");
            assertEquals(0, p.exitValue(), "jlink failed: " + Files.readString(log));
            Files.writeString(stamp, wanted);
        }
        Path java = out.resolve("bin/java");
        Process v = new ProcessBuilder(java.toString(), "--list-modules")
                .redirectErrorStream(true)
                .start();
        String listed = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(v.waitFor(30, TimeUnit.SECONDS));
        Set<String> have = new TreeSet<>();
        listed.lines().forEach(l -> have.add(l.split("@")[0]));
        assertTrue(have.containsAll(modules), "the runtime has " + have);
        return java;
    }

    /** What the image ships in /app/lib: the module's jar or classes and its runtime class path. */
    private static List<String> classPath(String module) throws IOException {
        Path target = DeploymentFiles.projectRoot().resolve(module).resolve("target");
        Path listed = target.resolve("classpath.txt");
        assumeTrue(
                Files.isRegularFile(listed),
                listed + " is missing: build " + module + " first (mvn -pl docker -am verify packages it)");
        List<String> cp = new ArrayList<>();
        cp.add(target.resolve("classes").toString());
        cp.addAll(List.of(Files.readString(listed).strip().split(File.pathSeparator)));
        return cp;
    }

    private static Process start(Path java, List<String> classPath, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx1g",
                // The image's system.args.
                "--add-modules=jdk.incubator.vector",
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                String.join(File.pathSeparator, classPath),
                "dev.cycletrack.core.cli.Cycletrack"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: the tracker's shutdown hook closes Kafka Streams
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, Process p, Path log) throws Exception {
        try {
            Awaitility.await("the linked tracker")
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new AssertionError(
                                    "the tracker exited with " + p.exitValue() + ":\n" + Files.readString(log));
                        }
                        try {
                            return check.ok();
                        } catch (IOException notYet) {
                            return false; // the HTTP server is not up yet
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out; the tracker's output:\n" + Files.readString(log), e);
        }
    }

    // ---- frames and HTTP ----

    private static void publish(String bootstrap, TopicRegistry topics, int n) throws Exception {
        Path dir = Samples.jhmdbCatch().orElseThrow(() -> new IllegalStateException("the shipped sample is missing"));
        JhmdbClip clip = JhmdbClip.open(dir);
        try (FramePublisher pub = new FramePublisher(bootstrap, topics, 90);
                FrameStream frames = clip.frames()) {
            LabelInit.Builder init = LabelInit.newBuilder()
                    .setStreamId("cam-jlink")
                    .setSeq(0)
                    .setTask(Task.KEYPOINTS)
                    .setPreset("pose")
                    .setWidth(clip.width())
                    .setHeight(clip.height())
                    .setOverrides(PropagationOverrides.newBuilder().setInputSize("square:64"));
            List<Keypoint> joints = clip.joints(0);
            for (int j = 0; j < joints.size(); j++) {
                init.addKeypoints(InitKeypoint.newBuilder()
                        .setId(j)
                        .setX(joints.get(j).x())
                        .setY(joints.get(j).y())
                        .setVisible(joints.get(j).visible()));
            }
            pub.sendInit(init.build());
            for (int i = 0; i < n && frames.hasNext(); i++) {
                byte[] jpeg = Images.encodeJpeg(frames.next(), 90);
                pub.sendFrame("cam-jlink", i, clip.width(), clip.height(), jpeg).get();
            }
        }
    }

    private static double labelled(String scrape) {
        return valueOf(scrape, "cycletrack_frames_total{reason=\"\",result=\"labelled\"}");
    }

    private static double valueOf(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
                .findFirst()
                .orElse(0);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
