package dev.cycletrack.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard only queries what the tracker really exports: a real tracker (embedded KRaft
 * broker, random-init encoder) labels a few frames of the shipped sample, skips a stale one and
 * rejects an undecodable one, and its live {@code /metrics} must select every series selector of
 * every dashboard query, label matchers included.
 */
class DashboardMetricsLiveTest {

    private static final String STREAM = "cam-dashboard";
    private static final int FRESH_FRAMES = 4;

    @Test
    @Timeout(180)
    void everySeriesTheDashboardQueriesIsInTheTrackersLiveScrape(@TempDir Path tmp) throws Exception {
        List<PromQl.Selector> queried = DeploymentFiles.dashboardSelectors();
        assertFalse(queried.isEmpty(), "the dashboard queries nothing");

        long t0 = System.nanoTime();
        // As in compose: a separate single-node KRaft Kafka, the tracker pointed at it with bootstrap servers.
        // Generous broker session timeout: on a loaded 2-core machine a missed heartbeat must not fence it.
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
            everySeriesIsExported(kafka.bootstrapServers(), queried, tmp, t0);
        }
    }

    private static void everySeriesIsExported(String bootstrap, List<PromQl.Selector> queried, Path tmp, long t0)
            throws Exception {
        // Fresh frames must be labelled however slow a loaded CI machine is; the stale one is an hour old.
        TrackerConfig config = TrackerConfig.defaults().withHttpPort(0).withMaxFrameAge(Duration.ofMinutes(5), false);
        Tracker.Options options =
                new Tracker.Options(bootstrap, 0, tmp, "dashboard-test", 1, "at_least_once", "random", 2, config);
        try (Tracker tracker = Tracker.start(options, Models.random())) {
            tracker.awaitRunning(Duration.ofSeconds(90));
            System.out.printf("broker and tracker running after %.1f s%n", seconds(t0));
            pushFrames(tracker.bootstrapServers(), config.topics());
            TrackerMetrics m = tracker.metrics();
            awaitTrue(
                    () -> m.frames("labelled", "") >= FRESH_FRAMES
                            && m.frames("skipped", "too_old") >= 1
                            && m.frames("invalid", "undecodable_image") >= 1
                            && m.frames("dropped", "duplicate") >= 1
                            && invalidInits(m) >= 1,
                    Duration.ofSeconds(90),
                    () -> "labelled " + m.frames("labelled", "") + ", skipped " + m.frames("skipped", "too_old")
                            + ", invalid " + m.frames("invalid", "undecodable_image") + ", dropped "
                            + m.frames("dropped", "duplicate") + ", invalid label inits " + invalidInits(m));
            System.out.printf("frames labelled, skipped and rejected after %.1f s%n", seconds(t0));

            // Kafka client metrics reach Micrometer on the binder's refresh; poll the scrape until every
            // selector matches or time is up, then report what is missing.
            String url = "http://localhost:" + tracker.httpPort() + "/metrics";
            AtomicReference<String> lastText = new AtomicReference<>("");
            AtomicReference<List<PromQl.Selector>> lastMissing = new AtomicReference<>(queried);
            try {
                Awaitility.await("every queried series in the scrape")
                        .atMost(Duration.ofSeconds(75))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            lastText.set(get(url));
                            PrometheusScrape scrape = PrometheusScrape.parse(lastText.get());
                            lastMissing.set(queried.stream()
                                    .filter(s -> !scrape.selects(s))
                                    .toList());
                            return lastMissing.get().isEmpty();
                        });
            } catch (ConditionTimeoutException timedOut) {
                // reported below with the selectors still missing
            }
            List<PromQl.Selector> missing = lastMissing.get();
            String text = lastText.get();
            System.out.printf("scrape checked after %.1f s%n", seconds(t0));
            Files.writeString(Path.of("target", "last-tracker-scrape.txt"), text);
            assertTrue(
                    missing.isEmpty(),
                    "the dashboard queries series the tracker does not export: " + missing
                            + " (the whole scrape is in docker/target/last-tracker-scrape.txt; similar names there: "
                            + similarNames(text, missing) + ")");
        }
    }

    private static double invalidInits(TrackerMetrics m) {
        var c = m.registry()
                .find("cycletrack.label.inits")
                .tag("result", "invalid")
                .counter();
        return c == null ? 0 : c.count();
    }

    /**
     * One of each outcome the dashboard plots: the sample's first frames with their LabelInit (labelled), a
     * stale frame (skipped), a repeated one (dropped), one that is not an image and a LabelInit with a NaN
     * keypoint (both invalid, to the dead-letter topic).
     */
    private static void pushFrames(String bootstrap, TopicRegistry topics) throws Exception {
        Path dir = Samples.jhmdbCatch().orElseThrow(() -> new IllegalStateException("the shipped sample is missing"));
        JhmdbClip clip = JhmdbClip.open(dir);
        List<byte[]> jpegs = new ArrayList<>();
        try (FrameStream frames = clip.frames()) {
            while (frames.hasNext() && jpegs.size() < FRESH_FRAMES + 1) {
                jpegs.add(Images.encodeJpeg(frames.next(), 90));
            }
        }
        int w = clip.width();
        int h = clip.height();
        try (FramePublisher pub = new FramePublisher(bootstrap, topics, 90);
                KafkaProducer<String, Frame> raw = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap),
                        Serdes.String().serializer(),
                        topics.frames().valueSerde().serializer())) {
            pub.sendInit(keypointInit(STREAM, clip.joints(0), w, h));
            for (int i = 0; i < FRESH_FRAMES; i++) {
                pub.sendFrame(STREAM, i, w, h, jpegs.get(i)).get();
            }
            // Seq 1 again: a duplicate, dropped.
            pub.sendFrame(STREAM, 1, w, h, jpegs.get(1)).get();
            // Captured an hour ago: older than max-frame-age, so skipped.
            long hourAgoUs = FramePublisher.nowMicros() - 3_600_000_000L;
            raw.send(new ProducerRecord<>(
                            topics.frames().name(), STREAM, frame(FRESH_FRAMES, hourAgoUs, jpegs.get(0), w, h)))
                    .get();
            // Bytes that are no JPEG: invalid (undecodable_image), to the dead-letter topic.
            byte[] garbage = "not a jpeg".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            raw.send(new ProducerRecord<>(
                            topics.frames().name(),
                            STREAM,
                            frame(FRESH_FRAMES + 1, FramePublisher.nowMicros(), garbage, w, h)))
                    .get();
            List<Keypoint> nan = new ArrayList<>(clip.joints(0));
            nan.set(0, Keypoint.at(Double.NaN, 10));
            pub.sendInit(keypointInit("cam-nan", nan, w, h));
        }
    }

    private static Frame frame(long seq, long captureUs, byte[] data, int w, int h) {
        return Frame.newBuilder()
                .setStreamId(STREAM)
                .setSeq(seq)
                .setCaptureTimeUs(captureUs)
                .setWidth(w)
                .setHeight(h)
                .setEncoding(Encoding.JPEG)
                .setData(ByteString.copyFrom(data))
                .build();
    }

    private static LabelInit keypointInit(String stream, List<Keypoint> points, int w, int h) {
        // 64x64 input keeps the encoder cheap on a 2-core CI machine.
        LabelInit.Builder b = LabelInit.newBuilder()
                .setStreamId(stream)
                .setSeq(0)
                .setTask(Task.KEYPOINTS)
                .setPreset("pose")
                .setWidth(w)
                .setHeight(h)
                .setOverrides(PropagationOverrides.newBuilder().setInputSize("square:64"));
        for (int j = 0; j < points.size(); j++) {
            Keypoint k = points.get(j);
            b.addKeypoints(
                    InitKeypoint.newBuilder().setId(j).setX(k.x()).setY(k.y()).setVisible(k.visible()));
        }
        return b.build();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET " + url);
        return r.body();
    }

    /** Names in the scrape that share their first two words with a missing metric, to spot a typo. */
    private static Set<String> similarNames(String scrape, List<PromQl.Selector> missing) {
        Set<String> out = new TreeSet<>();
        for (PromQl.Selector s : missing) {
            String[] words = s.metric().split("_");
            String prefix = words.length > 1 ? words[0] + "_" + words[1] : words[0];
            PrometheusScrape.parse(scrape).samples().stream()
                    .filter(x -> x.name().startsWith(prefix))
                    .forEach(x -> out.add(x.name()));
        }
        return out;
    }

    private static void awaitTrue(BooleanSupplier ok, Duration timeout, java.util.function.Supplier<String> state) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(ok::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not reached within " + timeout + ": " + state.get(), e);
        }
    }
}
