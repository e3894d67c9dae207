package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clips;
import dev.cycletrack.it.support.Expected;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.Scrape;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.DeadLetter;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 5, the bad-input matrix on a live tracker: each kind of bad record lands in the dead-letter topic
 * with its reason (and a sentence saying what is wrong) and is counted on /metrics; duplicate and
 * out-of-order frames are dropped (dead-lettered, counted as dropped), not labelled twice; two good streams interleaved with all
 * of it are labelled throughout, exactly as if nothing else had been sent. A rejected frame changes
 * nothing: the good frame sent next with the same seq is labelled normally.
 */
class BadInputIT {

    static final InputSize INPUT = InputSize.parse("square:64");
    static final int GOOD_FRAMES = 8;

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    /** One bad record: what it is, the reason it must carry, the stream it names, and how to send it. */
    record Bad(String what, String reason, String stream, Send send) {}

    interface Send {
        void run() throws Exception;
    }

    @Test
    @Timeout(420)
    void everyBadRecordIsDeadLetteredWithItsReasonAndCountedWhileGoodStreamsCarryOn(@TempDir Path tmp)
            throws Exception {
        long started = System.nanoTime();
        String bootstrap = kafka.bootstrapServers();
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("bad.")
                .withMaxFrameAge(Duration.ZERO, true)
                .withInputSize(INPUT)
                .withLimits(1 << 20, 640L * 480)
                .withHttpPort(0);
        TopicRegistry topics = config.topics();
        TopicSetup.ensure(bootstrap, topics, 4);
        int w = Clips.sample().width();
        int h = Clips.sample().height();
        List<String> good = List.of("good-1", "good-2");
        int[] offsets = {0, 12};
        Map<String, List<Long>> sent = new LinkedHashMap<>();
        good.forEach(s -> sent.put(s, new ArrayList<>()));

        try (Tracker tracker = Tracker.start(
                        new Tracker.Options(
                                bootstrap,
                                0,
                                tmp.resolve("tracker"),
                                "it-bad",
                                2,
                                "at_least_once",
                                "random",
                                4,
                                config),
                        Models.random());
                FramePublisher pub = new FramePublisher(bootstrap, topics, 90);
                KafkaProducer<byte[], byte[]> raw = Kafka.rawProducer(bootstrap);
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, topics, false);
                TopicTail<byte[], byte[]> dead = Kafka.deadLetters(bootstrap, topics)) {
            tracker.awaitRunning(Duration.ofSeconds(120));
            for (int k = 0; k < good.size(); k++) {
                pub.sendInit(Clips.sampleInit(good.get(k), 0, offsets[k]));
            }
            // Good streams use even seqs, so an odd seq below the last one was never seen: out of order.
            long[] next = {0, 0};
            Send[] goodFrame = new Send[2];
            for (int k = 0; k < 2; k++) {
                int kk = k;
                goodFrame[k] = () -> {
                    long seq = next[kk];
                    pub.sendFrame(good.get(kk), seq, w, h, Clips.sampleJpeg(offsets[kk] + (int) seq))
                            .get(30, TimeUnit.SECONDS);
                    sent.get(good.get(kk)).add(seq);
                    next[kk] += 2;
                };
            }
            byte[] jpeg = Clips.sampleJpeg(3);
            byte[] corruptJpeg = Arrays.copyOf(jpeg, jpeg.length);
            for (int i = 200; i < corruptJpeg.length; i++) {
                corruptJpeg[i] = (byte) (i * 7);
            }
            byte[] truncated = Frame.newBuilder()
                    .setStreamId("good-2")
                    .setSeq(999)
                    .setWidth(w)
                    .setHeight(h)
                    .setEncoding(Encoding.JPEG)
                    .setData(com.google.protobuf.ByteString.copyFrom(jpeg))
                    .build()
                    .toByteArray();
            byte[] truncatedHalf = Arrays.copyOf(truncated, truncated.length / 2);
            byte[] oversized = new byte[(1 << 20) + 500_000];
            new Random(5).nextBytes(oversized);
            RgbImage half = Images.resizeBilinear(Images.decode(jpeg), w / 2, h / 2);
            LabelInit nan = Clips.sampleInit("nan-keypoint", 0, 0);
            nan = nan.toBuilder()
                    .setKeypoints(
                            2, nan.getKeypoints(2).toBuilder().setX(Double.NaN).setVisible(true))
                    .build();
            LabelInit outside = Clips.sampleInit("outside-keypoint", 0, 0);
            outside = outside.toBuilder()
                    .setKeypoints(
                            1,
                            InitKeypoint.newBuilder()
                                    .setId(1)
                                    .setName("outside")
                                    .setX(w + 40)
                                    .setY(10)
                                    .setVisible(true))
                    .build();
            LabelInit unknownTask = Clips.sampleInit("unknown-task", 0, 0).toBuilder()
                    .setTaskValue(7)
                    .build();
            LabelInit nanInit = nan;
            LabelInit outsideInit = outside;

            // Frame-level faults go on good-1 with the seq its next good frame will carry.
            List<Bad> matrix = List.of(
                    new Bad(
                            "corrupt JPEG",
                            "undecodable_image",
                            "good-1",
                            () -> pub.sendFrame("good-1", next[0], w, h, corruptJpeg)
                                    .get()),
                    new Bad(
                            "truncated record (half a Frame's bytes)",
                            "malformed_record",
                            "good-2",
                            () -> Kafka.sendRaw(
                                    raw, topics.frames().name(), "good-2", "cycletrack.v1.Frame", truncatedHalf)),
                    new Bad(
                            "zero-size frame (0x0)",
                            "empty_frame",
                            "good-1",
                            () -> pub.sendFrame("good-1", next[0], 0, 0, jpeg).get()),
                    new Bad(
                            "frame with no bytes",
                            "empty_frame",
                            "good-1",
                            () -> pub.sendFrame("good-1", next[0], w, h, new byte[0])
                                    .get()),
                    new Bad(
                            "frame over the size limit (1.5 MB > 1 MiB)",
                            "frame_too_large",
                            "good-1",
                            () -> pub.sendFrame("good-1", next[0], w, h, oversized)
                                    .get()),
                    new Bad(
                            "wrong dimensions for the stream's context (half size)",
                            "wrong_size",
                            "good-1",
                            () -> pub.sendFrame(
                                            "good-1", next[0], half.width(), half.height(), Images.encodeJpeg(half, 90))
                                    .get()),
                    new Bad(
                            "frame of a stream with no LabelInit",
                            "no_label_init",
                            "orphan",
                            () -> pub.sendFrame("orphan", 0, w, h, jpeg).get()),
                    new Bad(
                            "LabelInit with a NaN keypoint",
                            "invalid_keypoints",
                            "nan-keypoint",
                            () -> pub.sendInit(nanInit)),
                    new Bad(
                            "LabelInit with a keypoint outside the image",
                            "keypoint_outside_image",
                            "outside-keypoint",
                            () -> pub.sendInit(outsideInit)),
                    new Bad(
                            "LabelInit with an unknown task (7)",
                            "unknown_task",
                            "unknown-task",
                            () -> pub.sendInit(unknownTask)));

            goodFrame[0].run();
            goodFrame[1].run();
            for (Bad b : matrix) {
                b.send().run();
                goodFrame[0].run();
                goodFrame[1].run();
            }
            // A duplicate (the last seq again) and an out-of-order frame (an unseen odd seq below the last).
            long lastOne = next[0] - 2;
            pub.sendFrame("good-1", lastOne, w, h, Clips.sampleJpeg((int) lastOne))
                    .get();
            pub.sendFrame("good-2", next[1] - 3, w, h, Clips.sampleJpeg(offsets[1] + (int) next[1] - 3))
                    .get();
            goodFrame[0].run();
            goodFrame[1].run();

            Poll.until(
                    "good frames answered and bad ones dead-lettered",
                    Duration.ofSeconds(300),
                    () -> new Answers(labels.all()).complete(sent) && dead.size() >= matrix.size() + 2,
                    () -> "missing " + new Answers(labels.all()).missing(sent) + ", " + dead.size() + " dead letters");
            var endLabels = Kafka.endOffsets(bootstrap, topics.labels().name(), false);
            var endDead = Kafka.endOffsets(bootstrap, topics.deadLetter().name(), false);
            Poll.until(
                    "labels and dead letters read to the end",
                    Duration.ofSeconds(60),
                    () -> labels.reached(endLabels) && dead.reached(endDead));
            Scrape metrics = Scrape.of(tracker.httpPort());

            Map<String, Integer> expected = new TreeMap<>();
            matrix.forEach(b -> expected.merge(b.reason(), 1, Integer::sum));
            // The dropped duplicate and out-of-order frames are dead-lettered too (counted as dropped below).
            Map<String, Integer> expectedLetters = new TreeMap<>(expected);
            expectedLetters.merge("duplicate", 1, Integer::sum);
            expectedLetters.merge("out_of_order", 1, Integer::sum);
            Map<String, Integer> got = new TreeMap<>();
            Map<String, Object> rows = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            var letters = dead.all();
            for (var d : letters) {
                String reason = DeadLetter.header(d.record().headers(), DeadLetter.REASON);
                got.merge(String.valueOf(reason), 1, Integer::sum);
                if (DeadLetter.header(d.record().headers(), DeadLetter.DETAIL) == null) {
                    problems.add("no detail on a " + reason + " dead letter");
                }
            }
            // Each bad record's own letter: the first not yet matched with its reason and stream (one stream's
            // records keep their order).
            java.util.Set<Object> matched = new java.util.HashSet<>();
            for (Bad b : matrix) {
                var letter = letters.stream()
                        .filter(d -> !matched.contains(d)
                                && b.reason()
                                        .equals(DeadLetter.header(d.record().headers(), DeadLetter.REASON))
                                && b.stream()
                                        .equals(DeadLetter.header(d.record().headers(), DeadLetter.STREAM)))
                        .findFirst();
                letter.ifPresent(matched::add);
                boolean initTopic = b.what().startsWith("LabelInit");
                double counted = metrics.value(
                        initTopic ? "cycletrack_label_inits_total" : "cycletrack_frames_total",
                        Map.of("result", "invalid", "reason", b.reason()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("reason", b.reason());
                row.put("dead_lettered", letter.isPresent());
                row.put("metric", counted);
                row.put(
                        "detail",
                        letter.map(d -> DeadLetter.header(d.record().headers(), DeadLetter.DETAIL))
                                .orElse(null));
                rows.put(b.what(), row);
                if (letter.isEmpty()) {
                    problems.add(b.what() + ": no dead letter with reason " + b.reason() + " for " + b.stream());
                }
                if (counted != expected.get(b.reason())) {
                    problems.add(b.what() + ": metric " + counted + ", expected " + expected.get(b.reason()));
                }
            }
            // The dead letter holds the rejected bytes as they arrived.
            var truncatedLetter = letters.stream()
                    .filter(d -> "malformed_record"
                            .equals(DeadLetter.header(d.record().headers(), DeadLetter.REASON)))
                    .findFirst();
            Answers answers = new Answers(labels.all());
            List<String> differences = Expected.differences(good, offsets, sent, answers, INPUT);
            double duplicates =
                    metrics.value("cycletrack_frames_total", Map.of("result", "dropped", "reason", "duplicate"));
            double outOfOrder =
                    metrics.value("cycletrack_frames_total", Map.of("result", "dropped", "reason", "out_of_order"));
            int goodSent = sent.values().stream().mapToInt(List::size).sum();

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("broker", kafka.kind());
            r.put("matrix", rows);
            r.put("dead_letters", letters.size());
            r.put("duplicate_frames_dropped_metric", duplicates);
            r.put("out_of_order_frames_dropped_metric", outOfOrder);
            r.put("good_frames_sent", goodSent);
            r.put("good_frames_answered", answers.answered());
            r.put("label_records", answers.records());
            r.put("good_equal_to_offline", answers.answered() - differences.size());
            r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
            Reports.write("bad-input", r);

            assertEquals(List.of(), problems);
            assertEquals(expectedLetters, got, "dead letters by reason");
            assertTrue(truncatedLetter.isPresent());
            assertArrayEquals(truncatedHalf, truncatedLetter.get().value());
            assertNotNull(DeadLetter.header(truncatedLetter.get().record().headers(), "__streams.errors.topic"));
            assertEquals(1, duplicates, "the duplicate is dropped and counted");
            assertEquals(1, outOfOrder, "the out-of-order frame is dropped and counted");
            // Only the good streams were labelled, each frame once, as if nothing else had been sent.
            assertEquals(goodSent, answers.records(), "one label per good frame, none for the dropped ones");
            assertEquals(goodSent, answers.answered());
            assertEquals(List.of(), differences);
        }
    }
}
