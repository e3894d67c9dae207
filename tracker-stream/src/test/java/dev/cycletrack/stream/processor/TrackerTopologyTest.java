package dev.cycletrack.stream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.tracking.KeypointTask;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.core.tracking.PropagationTracker;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.stream.TestClips;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.EncoderService;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The topology in a TopologyTestDriver: several interleaved streams against the offline tracker. */
class TrackerTopologyTest {

    static ModelArtifact artifact;
    static LoadedModel model;
    static EncoderService service;
    static TrackerMetrics metrics;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void setUp() {
        artifact = ModelArtifact.createRandom(0, PaddingMode.REFLECT);
        metrics = new TrackerMetrics();
        model = new LoadedModel("random", "random-0", "", artifact.encoder());
        service = new EncoderService(model, 8, Duration.ofMillis(2), metrics);
    }

    @AfterAll
    static void tearDown() {
        service.close();
        artifact.close();
    }

    static final class Driver implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, Frame> frames;
        final TestInputTopic<String, LabelInit> inits;
        final TestOutputTopic<FrameKey, FrameLabels> labels;
        final TopicRegistry topics;

        Driver(TrackerConfig config) {
            topics = config.topics();
            Properties p = dev.cycletrack.stream.processor.TrackerTopology.streamsProperties(
                    "ttd-" + System.nanoTime(), config, metrics);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            driver = new TopologyTestDriver(TrackerTopology.build(config, service, metrics), p, T0);
            frames = driver.createInputTopic(
                    topics.frames().name(),
                    Serdes.String().serializer(),
                    topics.frames().valueSerde().serializer(),
                    T0,
                    Duration.ZERO);
            inits = driver.createInputTopic(
                    topics.labelInit().name(),
                    Serdes.String().serializer(),
                    topics.labelInit().valueSerde().serializer(),
                    T0,
                    Duration.ZERO);
            labels = driver.createOutputTopic(
                    topics.labels().name(),
                    topics.labels().keySerde().deserializer(),
                    topics.labels().valueSerde().deserializer());
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static TrackerConfig config() {
        return TrackerConfig.defaults().withTopicPrefix("t.").withMaxFrameAge(Duration.ZERO, true);
    }

    /** The offline path: core's PropagationTracker over the same JPEG bytes. */
    static List<List<Keypoint>> offline(LabelInit init, List<byte[]> jpegs) throws Exception {
        PropagationSettings settings =
                PropagationSettings.of(Preset.POSE).withInputSize(InputSize.parse(TestClips.INPUT_SIZE));
        List<List<Keypoint>> out = new ArrayList<>();
        try (PropagationTracker<List<Keypoint>> t =
                new PropagationTracker<>(model.encoder(), settings, new KeypointTask())) {
            RgbImage f0 = Images.decode(jpegs.get(0));
            out.add(t.start(f0, TestClips.asRead(init)));
            for (int i = 1; i < jpegs.size(); i++) {
                out.add(t.next(Images.decode(jpegs.get(i))));
            }
        }
        return out;
    }

    static void assertSameLabels(List<Keypoint> expected, FrameLabels actual, String what) {
        assertEquals(LabelStatus.LABELLED, actual.getStatus(), what);
        assertEquals(expected.size(), actual.getKeypointsCount(), what);
        for (int j = 0; j < expected.size(); j++) {
            Keypoint e = expected.get(j);
            OutKeypoint a = actual.getKeypoints(j);
            assertEquals(e.visible(), a.getVisible(), what + " joint " + j);
            assertEquals((float) e.x(), a.getX(), 0f, what + " joint " + j + " x");
            assertEquals((float) e.y(), a.getY(), 0f, what + " joint " + j + " y");
        }
    }

    @Test
    void interleavedStreamsEqualTheOfflineTrackerExactly() throws Exception {
        int n = 10;
        List<byte[]> jpegs = TestClips.jpegs(16);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        // Three streams over different stretches of the clip, each from its own ground-truth labels.
        Map<String, Integer> start = Map.of("cam-a", 0, "cam-b", 3, "cam-c", 6);
        Map<String, LabelInit> inits = new HashMap<>();
        Map<String, List<byte[]>> streamFrames = new HashMap<>();
        for (var e : start.entrySet()) {
            int s0 = e.getValue();
            inits.put(
                    e.getKey(),
                    TestClips.keypointInit(e.getKey(), 100, TestClips.clip().joints(s0), w, h));
            streamFrames.put(e.getKey(), jpegs.subList(s0, s0 + n));
        }
        try (Driver d = new Driver(config())) {
            List<String> order = List.of("cam-a", "cam-b", "cam-c");
            for (String s : order) {
                d.inits.pipeInput(s, inits.get(s));
            }
            for (int i = 0; i < n; i++) {
                for (String s : order) {
                    d.frames.pipeInput(
                            s, TestClips.frame(s, 100 + i, streamFrames.get(s).get(i), w, h, 1));
                }
            }
            List<KeyValue<FrameKey, FrameLabels>> out = d.labels.readKeyValuesToList();
            assertEquals(3 * n, out.size());
            Map<String, List<FrameLabels>> byStream = new HashMap<>();
            for (var kv : out) {
                assertEquals(kv.key.getStreamId(), kv.value.getStreamId());
                assertEquals(kv.key.getSeq(), kv.value.getSeq());
                assertEquals("random-0", kv.value.getModelVersion());
                byStream.computeIfAbsent(kv.key.getStreamId(), k -> new ArrayList<>())
                        .add(kv.value);
            }
            for (String s : order) {
                List<List<Keypoint>> expected = offline(inits.get(s), streamFrames.get(s));
                List<FrameLabels> got = byStream.get(s);
                for (int i = 0; i < n; i++) {
                    assertEquals(100 + i, got.get(i).getSeq());
                    assertSameLabels(expected.get(i), got.get(i), s + " frame " + i);
                }
            }
        }
    }

    @Test
    void contextRebuiltFromTheStoreAfterAModelSwapToTheSameWeightsGivesTheSameLabels() throws Exception {
        int n = 10;
        List<byte[]> jpegs = TestClips.jpegs(n);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        LabelInit init = TestClips.keypointInit("s", 0, TestClips.clip().joints(0), w, h);
        List<List<Keypoint>> expected = offline(init, jpegs);
        LoadedModel before = service.current();
        try (Driver d = new Driver(config())) {
            d.inits.pipeInput("s", init);
            for (int i = 0; i < n; i++) {
                if (i == 5) {
                    // Same weights, new version: the context is re-encoded from the stored frames.
                    service.swap(new LoadedModel("random", "random-0-again", "", artifact.encoder()));
                }
                d.frames.pipeInput("s", TestClips.frame("s", i, jpegs.get(i), w, h, 1));
            }
            List<FrameLabels> out = d.labels.readValuesToList();
            assertEquals(n, out.size());
            for (int i = 0; i < n; i++) {
                assertSameLabels(expected.get(i), out.get(i), "frame " + i);
                assertEquals(i < 5 ? "random-0" : "random-0-again", out.get(i).getModelVersion());
            }
        } finally {
            model = new LoadedModel("random", "random-0", "", artifact.encoder());
            service.swap(model);
            assertTrue(before.isClosed() || !before.isClosed());
        }
    }
}
