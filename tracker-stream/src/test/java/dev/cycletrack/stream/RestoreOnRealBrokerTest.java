package dev.cycletrack.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.tracking.KeypointTask;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.core.tracking.PropagationTracker;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.EncoderService;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.encoder.ModelSwapper;
import dev.cycletrack.stream.encoder.ModelWatcher;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import dev.cycletrack.stream.processor.TrackerTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real KRaft broker: a tracker instance labels the first half of a stream and stops; its local
 * state is gone (another machine takes over); a new instance restores the context from the changelog
 * topics, re-encodes the stored frames, and labels the rest. Every label equals the uninterrupted
 * offline run exactly. Then a model version announced on the models topic is picked up.
 */
class RestoreOnRealBrokerTest {

    @Test
    @Timeout(180)
    void labelsAfterARestoreFromTheChangelogEqualAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        int n = 12;
        int half = 6;
        List<byte[]> jpegs = TestClips.jpegs(n);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        LabelInit init = TestClips.keypointInit("cam", 0, TestClips.clip().joints(0), w, h);
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                                .setCombined(true)
                                .setNumBrokerNodes(1)
                                .setNumControllerNodes(1)
                                .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .build();
                ModelArtifact artifact = ModelArtifact.createRandom(0, PaddingMode.REFLECT)) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            TrackerConfig config = TrackerConfig.defaults()
                    .withTopicPrefix("restore.")
                    .withMaxFrameAge(Duration.ZERO, true)
                    .withHttpPort(-1);
            TopicSetup.ensure(bootstrap, config.topics(), 2);
            TrackerMetrics metrics = new TrackerMetrics();
            LoadedModel model = new LoadedModel("random", "random-0", "", artifact.encoder());
            Map<Long, FrameLabels> got = new TreeMap<>();
            try (EncoderService service = new EncoderService(model, 4, Duration.ofMillis(2), metrics);
                    FramePublisher pub = new FramePublisher(bootstrap, config.topics(), 90);
                    LabelsReader<FrameKey, FrameLabels> reader =
                            new LabelsReader<>(bootstrap, config.topics().labels(), true)) {
                pub.sendInit(init);
                try (KafkaStreams first = streams(config, service, metrics, bootstrap, tmp.resolve("state-1"))) {
                    first.start();
                    for (int i = 0; i < half; i++) {
                        pub.sendFrame("cam", i, w, h, jpegs.get(i));
                    }
                    pub.flush();
                    await(reader, got, half);
                    first.close(
                            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
                }
                // The first instance's machine is gone with its RocksDB files.
                deleteTree(tmp.resolve("state-1"));
                try (KafkaStreams second = streams(config, service, metrics, bootstrap, tmp.resolve("state-2"))) {
                    second.start();
                    for (int i = half; i < n; i++) {
                        pub.sendFrame("cam", i, w, h, jpegs.get(i));
                    }
                    pub.flush();
                    await(reader, got, n);
                }

                // A model version announced on the models topic is loaded, checked and swapped in.
                Path v1 = tmp.resolve("model-v1");
                try (ModelArtifact seed1 = ModelArtifact.createRandom(1, PaddingMode.REFLECT)) {
                    seed1.save(v1);
                }
                try (ModelSwapper swapper = new ModelSwapper(service, metrics);
                        ModelWatcher watcher =
                                new ModelWatcher(bootstrap, config.topics().models(), swapper);
                        var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                                Map.<String, Object>of("bootstrap.servers", bootstrap),
                                config.topics().models().keySerde().serializer(),
                                config.topics().models().valueSerde().serializer())) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    config.topics().models().name(),
                                    "stfc3",
                                    ModelVersion.newBuilder()
                                            .setName("stfc3")
                                            .setVersion("v1")
                                            .setUri(v1.toUri().toString())
                                            .setSha256(ModelArtifactDigest.of(v1))
                                            .build()))
                            .get();
                    Awaitility.await("the announced version swapped in")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> service.current().version().equals("v1"));
                    assertEquals("v1", service.current().version(), "announced version swapped in");
                }
            }
            assertEquals(n, got.size());
            List<List<Keypoint>> expected;
            try (var offlineEncoder = artifact.encoder()) {
                expected = offline(offlineEncoder, init, jpegs);
            }
            for (int i = 0; i < n; i++) {
                FrameLabels l = got.get((long) i);
                for (int j = 0; j < expected.get(i).size(); j++) {
                    Keypoint e = expected.get(i).get(j);
                    OutKeypoint a = l.getKeypoints(j);
                    assertEquals((float) e.x(), a.getX(), 0f, "frame " + i + " joint " + j);
                    assertEquals((float) e.y(), a.getY(), 0f, "frame " + i + " joint " + j);
                    assertEquals(e.visible(), a.getVisible());
                }
            }
        }
    }

    private static KafkaStreams streams(
            TrackerConfig config, EncoderService service, TrackerMetrics metrics, String bootstrap, Path stateDir) {
        Properties p = TrackerTopology.streamsProperties("restore-test", config, metrics);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), 50);
        p.put(StreamsConfig.producerPrefix("linger.ms"), 0);
        return new KafkaStreams(TrackerTopology.build(config, service, metrics), p);
    }

    private static void await(LabelsReader<FrameKey, FrameLabels> reader, Map<Long, FrameLabels> got, int n) {
        long end = System.nanoTime() + 120_000_000_000L;
        while (got.size() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "only " + got.size() + " of " + n + " frames labelled in time: " + got.keySet());
            }
            for (var r : reader.poll(Duration.ofMillis(100))) {
                got.put(r.value().getSeq(), r.value());
            }
        }
    }

    private static List<List<Keypoint>> offline(
            dev.cycletrack.core.encoder.Encoder encoder, LabelInit init, List<byte[]> jpegs) throws Exception {
        PropagationSettings s =
                PropagationSettings.of(Preset.POSE).withInputSize(InputSize.parse(TestClips.INPUT_SIZE));
        List<List<Keypoint>> out = new ArrayList<>();
        try (PropagationTracker<List<Keypoint>> t = new PropagationTracker<>(encoder, s, new KeypointTask())) {
            out.add(t.start(Images.decode(jpegs.get(0)), TestClips.asRead(init)));
            for (int i = 1; i < jpegs.size(); i++) {
                out.add(t.next(Images.decode(jpegs.get(i))));
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
