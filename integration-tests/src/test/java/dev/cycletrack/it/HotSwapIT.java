package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clock;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.StreamSender;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 4, hot swap under load: while two streams are labelled live, model versions are announced on the
 * models topic: v1 and v2 are picked up between two frames, with no frame lost, and every output names
 * the version that labelled it; a corrupt artifact (a flipped parameter byte) and an announcement whose
 * sha256 is not the artifact's are rejected while v2 keeps serving; announcing v1 again rolls back.
 */
class HotSwapIT {

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    @Test
    @Timeout(480)
    void versionsSwapAtFrameBoundariesBadOnesAreRejectedAndAnOlderOneRollsBack(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        String bootstrap = kafka.bootstrapServers();
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("swap.")
                .withMaxFrameAge(Duration.ZERO, true)
                .withInputSize(dev.cycletrack.core.propagation.InputSize.parse("square:64"))
                .withHttpPort(0);
        TopicSetup.ensure(bootstrap, config.topics(), 4);
        Path v1 = tmp.resolve("v1");
        Path v2 = tmp.resolve("v2");
        try (ModelArtifact a = ModelArtifact.createRandom(1, PaddingMode.REFLECT);
                ModelArtifact b = ModelArtifact.createRandom(2, PaddingMode.REFLECT)) {
            a.save(v1);
            b.save(v2);
        }
        // Its checksum file is intact (so the announced digest matches), but one parameter byte is flipped.
        Path corrupt = Files.createDirectories(tmp.resolve("v3-corrupt"));
        for (String f :
                List.of(ModelArtifact.PARAMETERS_FILE, ModelArtifact.METADATA_FILE, ModelArtifact.CHECKSUM_FILE)) {
            Files.copy(v2.resolve(f), corrupt.resolve(f));
        }
        byte[] params = Files.readAllBytes(corrupt.resolve(ModelArtifact.PARAMETERS_FILE));
        params[params.length / 2] ^= 0x5a;
        Files.write(corrupt.resolve(ModelArtifact.PARAMETERS_FILE), params);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("broker", kafka.kind());
        List<String> streams = List.of("swap-a", "swap-b");
        try (Tracker tracker = Tracker.start(
                        new Tracker.Options(
                                bootstrap,
                                0,
                                tmp.resolve("tracker"),
                                "it-swap",
                                2,
                                "at_least_once",
                                "random",
                                4,
                                config),
                        Models.random());
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, config.topics(), false);
                KafkaProducer<String, ModelVersion> models = new KafkaProducer<>(
                        Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        config.topics().models().keySerde().serializer(),
                        config.topics().models().valueSerde().serializer())) {
            tracker.awaitRunning(Duration.ofSeconds(120));
            String initial = tracker.encoder().current().version();
            // Open-ended: frames keep coming until every announcement has played out.
            StreamSender sender =
                    new StreamSender(bootstrap, config.topics(), streams, new int[] {0, 5}, 100_000, 4).start();
            Map<String, Object> swaps = new LinkedHashMap<>();
            try (sender) {
                awaitLabelsWith(labels, streams, initial, 0, 3);

                for (String v : List.of("v1", "v2")) {
                    Path dir = v.equals("v1") ? v1 : v2;
                    long t = announce(models, config, v, dir, ModelArtifactDigest.of(dir));
                    awaitLabelsWith(labels, streams, v, t, 2);
                    swaps.put(v, firstLabelDelay(labels, v, t));
                }

                double failedBefore = tracker.metrics().swaps("failed");
                long t3 = announce(models, config, "v3", corrupt, ModelArtifactDigest.of(corrupt));
                Poll.until(
                        "corrupt v3 rejected",
                        Duration.ofSeconds(120),
                        () -> tracker.metrics().swaps("failed") == failedBefore + 1);
                String corruptError = tracker.swapper().lastError();
                long t4 = announce(models, config, "v4", v1, "00".repeat(32));
                Poll.until(
                        "v4 with a wrong sha256 rejected",
                        Duration.ofSeconds(120),
                        () -> tracker.metrics().swaps("failed") == failedBefore + 2);
                String digestError = tracker.swapper().lastError();
                // v2 keeps serving: frames labelled after both rejections still name it.
                long rejected = Clock.nowMicros();
                awaitLabelsWith(labels, streams, "v2", rejected, 3);
                assertEquals("v2", tracker.encoder().current().version());
                swaps.put("v3 (corrupt parameters)", "rejected: " + corruptError);
                swaps.put("v4 (wrong sha256)", "rejected: " + digestError);

                long t5 = announce(models, config, "v1", v1, ModelArtifactDigest.of(v1));
                awaitLabelsWith(labels, streams, "v1", t5, 3);
                swaps.put("v1 again (rollback)", firstLabelDelay(labels, "v1", t5));
                assertTrue(corruptError.contains("checksum mismatch"), corruptError);
                assertTrue(digestError.contains("announcement says"), digestError);
                assertTrue(t3 < t4);
            }
            Poll.until(
                    "every frame answered",
                    Duration.ofSeconds(240),
                    () -> new Answers(labels.all()).complete(sender.sent()),
                    () -> "missing " + new Answers(labels.all()).missing(sender.sent()));
            var end = Kafka.endOffsets(bootstrap, config.topics().labels().name(), false);
            Poll.until("labels read to the end", Duration.ofSeconds(60), () -> labels.reached(end));
            Answers answers = new Answers(labels.all());

            // Along each stream, the versions change only between frames, in announcement order.
            Map<String, List<String>> runs = new LinkedHashMap<>();
            int unlabelled = 0;
            for (String s : streams) {
                List<String> run = new ArrayList<>();
                for (FrameLabels l : answers.first(s).values()) {
                    unlabelled += l.getStatus() == LabelStatus.LABELLED ? 0 : 1;
                    if (run.isEmpty() || !run.get(run.size() - 1).equals(l.getModelVersion())) {
                        run.add(l.getModelVersion());
                    }
                }
                runs.put(s, run);
            }
            String scrape =
                    dev.cycletrack.it.support.Scrape.of(tracker.httpPort()).text();
            r.put("frames_sent", sender.sentCount());
            r.put("answered", answers.answered());
            r.put("duplicated", answers.duplicates());
            r.put("lost", answers.missing(sender.sent()).size());
            r.put("not_labelled", unlabelled);
            r.put("initial_version", initial);
            r.put("announce_to_first_label_s", swaps);
            r.put("versions_along_each_stream", runs);
            r.put("swaps_ok", tracker.metrics().swaps("ok"));
            r.put("swaps_failed", tracker.metrics().swaps("failed"));
            r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
            Reports.write("hot-swap", r);

            assertEquals(sender.sentCount(), answers.answered(), "no frame lost");
            assertEquals(0, answers.duplicates());
            assertEquals(0, unlabelled, "every frame labelled");
            for (String s : streams) {
                assertEquals(List.of(initial, "v1", "v2", "v1"), runs.get(s), "versions along " + s);
            }
            assertEquals(3, tracker.metrics().swaps("ok"));
            assertEquals(2, tracker.metrics().swaps("failed"));
            assertTrue(scrape.contains("cycletrack_model_info{version=\"v1\"} 1"), "model_info names v1");
            assertTrue(scrape.contains("cycletrack_model_swaps_total{result=\"failed\"} 2"), scrape);
        }
    }

    /** Announces a version; returns the time (µs) it was acknowledged. */
    private static long announce(
            KafkaProducer<String, ModelVersion> models, TrackerConfig config, String version, Path dir, String sha)
            throws Exception {
        models.send(new ProducerRecord<>(
                        config.topics().models().name(),
                        "stfc3",
                        ModelVersion.newBuilder()
                                .setName("stfc3")
                                .setVersion(version)
                                .setUri(dir.toUri().toString())
                                .setSha256(sha)
                                .build()))
                .get(30, TimeUnit.SECONDS);
        return Clock.nowMicros();
    }

    /** Waits until every stream has {@code n} labels of {@code version} emitted after {@code sinceUs}. */
    private static void awaitLabelsWith(
            TopicTail<FrameKey, FrameLabels> labels, List<String> streams, String version, long sinceUs, int n) {
        Poll.until(
                n + " labels of " + version + " on every stream",
                Duration.ofSeconds(180),
                () -> streams.stream()
                        .allMatch(s -> labels.matching(x -> x.value()
                                                        .getStreamId()
                                                        .equals(s)
                                                && x.value().getModelVersion().equals(version)
                                                && x.value().getEmitTimeUs() > sinceUs)
                                        .size()
                                >= n));
    }

    /** Seconds from an announcement to the first label of that version. */
    private static double firstLabelDelay(TopicTail<FrameKey, FrameLabels> labels, String version, long sinceUs) {
        long first = labels.all().stream()
                .map(TopicTail.Received::value)
                .filter(l -> l.getModelVersion().equals(version) && l.getEmitTimeUs() > sinceUs)
                .mapToLong(FrameLabels::getEmitTimeUs)
                .min()
                .orElse(sinceUs);
        return Reports.r1((first - sinceUs) / 1e6);
    }
}
