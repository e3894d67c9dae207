package dev.cycletrack.stream.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.DeadLetter;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.MaskImage;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.TestClips;
import dev.cycletrack.stream.config.TrackerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Every kind of invalid input lands in the dead-letter topic with its reason and is counted, while
 * a good stream interleaved with them is labelled throughout; duplicates and out-of-order frames are
 * dropped, counted and dead-lettered with their reason.
 */
class DeadLetterTest extends TrackerTopologyTest {

    @Test
    void everyInvalidInputGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        List<byte[]> jpegs = TestClips.jpegs(8);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        List<Keypoint> joints = TestClips.clip().joints(0);
        TrackerConfig config = config().withLimits(1 << 20, 640L * 480);
        try (Driver d = new Driver(config)) {
            TestInputTopic<String, byte[]> rawFrames = d.driver.createInputTopic(
                    d.topics.frames().name(),
                    Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> rawInits = d.driver.createInputTopic(
                    d.topics.labelInit().name(),
                    Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], byte[]> dlq = d.driver.createOutputTopic(
                    d.topics.deadLetter().name(),
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());

            // A good stream, interleaved with everything below.
            d.inits.pipeInput("good", TestClips.keypointInit("good", 0, joints, w, h));
            int[] goodSeq = {0};
            Runnable good = () -> {
                int s = goodSeq[0]++;
                d.frames.pipeInput("good", TestClips.frame("good", 2L * s, jpegs.get(s % jpegs.size()), w, h, 1));
            };
            good.run();

            Map<String, String> expected = new TreeMap<>();
            // Frames.
            byte[] garbage = {(byte) 0xff, (byte) 0xfe, 3, 4, 5};
            rawFrames.pipeInput("x", garbage);
            expected.put("malformed frame", "malformed_record");
            good.run();
            d.frames.pipeInput("", TestClips.frame("", 0, jpegs.get(0), w, h, 1));
            expected.put("missing id", "missing_stream_id");
            d.frames.pipeInput("other", TestClips.frame("good", 50, jpegs.get(0), w, h, 1));
            expected.put("key mismatch", "key_mismatch");
            good.run();
            d.frames.pipeInput("good", TestClips.frame("good", 51, new byte[0], w, h, 1));
            expected.put("empty", "empty_frame");
            d.frames.pipeInput("good", TestClips.frame("good", 52, jpegs.get(0), 0, 0, 1));
            expected.put("zero size", "empty_frame");
            d.frames.pipeInput("good", TestClips.frame("good", 53, jpegs.get(0), 4000, 3000, 1));
            expected.put("too large", "frame_too_large");
            good.run();
            d.frames.pipeInput(
                    "good",
                    TestClips.frame("good", 54, jpegs.get(0), w, h, 1).toBuilder()
                            .setEncoding(Encoding.ENCODING_UNSPECIFIED)
                            .build());
            expected.put("no encoding", "unknown_encoding");
            byte[] corrupt = jpegs.get(0).clone();
            for (int i = 20; i < corrupt.length; i++) {
                corrupt[i] = (byte) (i * 7);
            }
            d.frames.pipeInput("good", TestClips.frame("good", 55, java.util.Arrays.copyOf(corrupt, 40), w, h, 1));
            expected.put("corrupt jpeg", "undecodable_image");
            d.frames.pipeInput("good", TestClips.frame("good", 56, jpegs.get(0), 100, 100, 1));
            expected.put("declared size", "size_mismatch");
            RgbImage small = Images.resizeBilinear(Images.decode(jpegs.get(0)), w / 2, h / 2);
            d.frames.pipeInput("good", TestClips.frame("good", 57, Images.encodeJpeg(small, 90), w / 2, h / 2, 1));
            expected.put("wrong size for the context", "wrong_size");
            good.run();
            d.frames.pipeInput("nobody", TestClips.frame("nobody", 0, jpegs.get(0), w, h, 1));
            expected.put("no label init", "no_label_init");

            // LabelInits.
            rawInits.pipeInput("x", garbage);
            expected.put("malformed init", "malformed_record");
            d.inits.pipeInput("good", TestClips.keypointInit("good", 1, joints, w, h));
            expected.put("stale init", "stale_label_init");
            d.inits.pipeInput(
                    "u",
                    TestClips.keypointInit("u", 0, joints, w, h).toBuilder()
                            .setTask(Task.TASK_UNSPECIFIED)
                            .build());
            expected.put("no task", "unknown_task");
            d.inits.pipeInput(
                    "p",
                    TestClips.keypointInit("p", 0, joints, w, h).toBuilder()
                            .setPreset("nope")
                            .build());
            expected.put("unknown preset", "invalid_settings");
            LabelInit nan = TestClips.keypointInit("n", 0, joints, w, h);
            nan = nan.toBuilder()
                    .setKeypoints(2, nan.getKeypoints(2).toBuilder().setX(Float.NaN))
                    .build();
            d.inits.pipeInput("n", nan);
            expected.put("nan keypoint", "invalid_keypoints");
            d.inits.pipeInput(
                    "e",
                    TestClips.keypointInit("e", 0, joints, w, h).toBuilder()
                            .clearKeypoints()
                            .build());
            expected.put("no keypoints", "invalid_keypoints");
            good.run();
            LabelInit outside = TestClips.keypointInit("o", 0, joints, w, h);
            outside = outside.toBuilder()
                    .setKeypoints(
                            1,
                            InitKeypoint.newBuilder()
                                    .setId(1)
                                    .setX(w + 5)
                                    .setY(10)
                                    .setVisible(true))
                    .build();
            d.inits.pipeInput("o", outside);
            expected.put("outside (declared size)", "keypoint_outside_image");
            // Without a declared size the check happens when frame 0 arrives: the frame is rejected.
            d.inits.pipeInput(
                    "o2",
                    outside.toBuilder()
                            .setStreamId("o2")
                            .clearWidth()
                            .clearHeight()
                            .build());
            d.frames.pipeInput("o2", TestClips.frame("o2", 0, jpegs.get(0), w, h, 1));
            expected.put("outside (frame)", "keypoint_outside_image");
            d.inits.pipeInput(
                    "m",
                    LabelInit.newBuilder().setStreamId("m").setTask(Task.MASK).build());
            expected.put("no mask", "invalid_mask");
            d.inits.pipeInput("m2", maskInit("m2", new byte[] {1, 2, 3}));
            expected.put("undecodable mask", "invalid_mask");
            int[] ids = new int[10 * 10];
            ids[55] = 1;
            d.inits.pipeInput("m3", maskInit("m3", MaskPng.encode(new IdMap(10, 10, ids))));
            d.frames.pipeInput("m3", TestClips.frame("m3", 0, jpegs.get(0), w, h, 1));
            expected.put("mask size", "mask_size_mismatch");
            good.run();

            // Duplicates and out-of-order frames of the good stream are dropped and dead-lettered (counted
            // as dropped). (The good stream's seqs are even: an odd one below the last was never seen.)
            int last = 2 * (goodSeq[0] - 1);
            d.frames.pipeInput("good", TestClips.frame("good", last, jpegs.get(0), w, h, 1));
            expected.put("duplicate", "duplicate");
            d.frames.pipeInput("good", TestClips.frame("good", last - 1, jpegs.get(0), w, h, 1));
            expected.put("out of order", "out_of_order");
            good.run();

            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            List<String> reasons = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : dead) {
                String reason = DeadLetter.header(r.headers(), DeadLetter.REASON);
                assertNotNull(reason, "every dead letter has a reason");
                assertNotNull(DeadLetter.header(r.headers(), DeadLetter.DETAIL));
                assertNotNull(DeadLetter.header(r.headers(), "__streams.errors.topic"));
                reasons.add(reason);
            }
            assertEquals(expected.size(), dead.size(), "dead letters: " + reasons);
            assertEquals(new TreeMap<>(count(expected.values())), new TreeMap<>(count(reasons)), "reasons by count");
            // The dead letter carries the rejected bytes as they arrived.
            assertArrayEquals(garbage, dead.get(0).value());
            assertTrue(
                    DeadLetter.header(dead.get(1).headers(), DeadLetter.DETAIL).contains("no stream id"));

            // The good stream was labelled throughout, in order, with nothing skipped.
            List<FrameLabels> labels = new ArrayList<>();
            for (var kv : d.labels.readKeyValuesToList()) {
                if (kv.key.getStreamId().equals("good")) {
                    labels.add(kv.value);
                }
            }
            assertEquals(goodSeq[0], labels.size());
            for (int i = 0; i < labels.size(); i++) {
                assertEquals(2L * i, labels.get(i).getSeq());
                assertEquals(LabelStatus.LABELLED, labels.get(i).getStatus());
            }
            assertTrue(metrics.frames("dropped", "duplicate") >= 1);
            assertTrue(metrics.frames("dropped", "out_of_order") >= 1);
            assertTrue(metrics.frames("invalid", "undecodable_image") >= 1);
            assertTrue(metrics.scrape().contains("cycletrack_frames_total{reason=\"wrong_size\",result=\"invalid\"}"));
        }
    }

    @Test
    void framesOlderThanTheMaxAgeAreSkippedAndTheContextStaysUsable() throws Exception {
        List<byte[]> jpegs = TestClips.jpegs(6);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        TrackerConfig config = config().withMaxFrameAge(Duration.ofMillis(200), false);
        long now = T0.toEpochMilli() * 1000;
        try (Driver d = new Driver(config)) {
            d.inits.pipeInput(
                    "s", TestClips.keypointInit("s", 0, TestClips.clip().joints(0), w, h));
            d.frames.pipeInput("s", TestClips.frame("s", 0, jpegs.get(0), w, h, now));
            d.frames.pipeInput("s", TestClips.frame("s", 1, jpegs.get(1), w, h, now - 5_000_000));
            d.frames.pipeInput("s", TestClips.frame("s", 2, jpegs.get(2), w, h, now - 50_000));
            List<FrameLabels> out = d.labels.readValuesToList();
            assertEquals(3, out.size());
            assertEquals(LabelStatus.LABELLED, out.get(0).getStatus());
            assertEquals(LabelStatus.SKIPPED, out.get(1).getStatus());
            assertEquals(0, out.get(1).getKeypointsCount());
            assertEquals(LabelStatus.LABELLED, out.get(2).getStatus());
            assertEquals(15, out.get(2).getKeypointsCount());
        }
        // --catch-up: the same old frame is labelled.
        try (Driver d = new Driver(config.withMaxFrameAge(Duration.ofMillis(200), true))) {
            d.inits.pipeInput(
                    "s", TestClips.keypointInit("s", 0, TestClips.clip().joints(0), w, h));
            d.frames.pipeInput("s", TestClips.frame("s", 0, jpegs.get(0), w, h, now));
            d.frames.pipeInput("s", TestClips.frame("s", 1, jpegs.get(1), w, h, now - 5_000_000));
            List<FrameLabels> out = d.labels.readValuesToList();
            assertEquals(LabelStatus.LABELLED, out.get(1).getStatus());
        }
    }

    @Test
    void idleStreamsAreEvicted() throws Exception {
        List<byte[]> jpegs = TestClips.jpegs(3);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        TrackerConfig config = config().withIdleTimeout(Duration.ofSeconds(30), Duration.ofSeconds(5));
        try (Driver d = new Driver(config)) {
            d.inits.pipeInput(
                    "s", TestClips.keypointInit("s", 0, TestClips.clip().joints(0), w, h));
            d.frames.pipeInput("s", TestClips.frame("s", 0, jpegs.get(0), w, h, 1));
            d.frames.pipeInput("s", TestClips.frame("s", 1, jpegs.get(1), w, h, 1));
            assertEquals(2, d.labels.readValuesToList().size());
            var store = d.driver.getKeyValueStore(dev.cycletrack.stream.state.StreamStores.STREAMS);
            assertNotNull(store.get("s"));
            d.driver.advanceWallClockTime(Duration.ofSeconds(40));
            assertEquals(null, store.get("s"), "evicted after 30 s idle");
            var frames = d.driver.getKeyValueStore(dev.cycletrack.stream.state.StreamStores.FRAMES);
            try (var it = frames.all()) {
                assertTrue(!it.hasNext(), "stored frames removed too");
            }
            TestOutputTopic<byte[], byte[]> dlq = d.driver.createOutputTopic(
                    d.topics.deadLetter().name(),
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            d.frames.pipeInput("s", TestClips.frame("s", 2, jpegs.get(2), w, h, 1));
            assertEquals("no_label_init", DeadLetter.header(dlq.readRecord().headers(), DeadLetter.REASON));
        }
    }

    @Test
    void masksAreTrackedWithAreas() throws Exception {
        List<byte[]> jpegs = TestClips.jpegs(4);
        int w = TestClips.clip().width();
        int h = TestClips.clip().height();
        int[] ids = new int[w * h];
        for (int y = 60; y < 180; y++) {
            for (int x = 100; x < 220; x++) {
                ids[y * w + x] = x < 160 ? 1 : 2;
            }
        }
        LabelInit init = maskInit("mask", MaskPng.encode(new IdMap(w, h, ids))).toBuilder()
                .setOverrides(dev.cycletrack.schemas.v1.PropagationOverrides.newBuilder()
                        .setInputSize("short:64")
                        .setContext(3))
                .build();
        try (Driver d = new Driver(config())) {
            d.inits.pipeInput("mask", init);
            for (int i = 0; i < 4; i++) {
                d.frames.pipeInput("mask", TestClips.frame("mask", i, jpegs.get(i), w, h, 1));
            }
            List<FrameLabels> out = d.labels.readValuesToList();
            assertEquals(4, out.size());
            for (FrameLabels f : out) {
                assertEquals(w, f.getMask().getWidth());
                IdMap decoded = MaskPng.decode(f.getMask().getPng().toByteArray());
                assertEquals(h, decoded.height());
                long total = f.getMask().getAreasList().stream()
                        .mapToLong(a -> a.getPixels())
                        .sum();
                assertEquals(decoded.nonZeroCount(), total);
                assertTrue(total > 0);
            }
        }
    }

    static LabelInit maskInit(String stream, byte[] png) {
        return LabelInit.newBuilder()
                .setStreamId(stream)
                .setSeq(0)
                .setTask(Task.MASK)
                .setPreset("vos")
                .setMask(MaskImage.newBuilder().setPng(ByteString.copyFrom(png)))
                .build();
    }

    private static Map<String, Integer> count(Iterable<String> values) {
        Map<String, Integer> m = new TreeMap<>();
        for (String v : values) {
            m.merge(v, 1, Integer::sum);
        }
        return m;
    }

    @Override
    void interleavedStreamsEqualTheOfflineTrackerExactly() {}

    @Override
    void contextRebuiltFromTheStoreAfterAModelSwapToTheSameWeightsGivesTheSameLabels() {}
}
