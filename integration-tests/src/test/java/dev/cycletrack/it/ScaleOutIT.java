package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clips;
import dev.cycletrack.it.support.Expected;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 3, scale-out and back: one tracker instance labels four streams (one per partition); a second
 * instance with an empty state directory joins and takes over some partitions, rebuilding those
 * streams' contexts from the changelog; then it leaves and the first takes its streams back, again from
 * the changelog. Every frame of every phase is answered and equals the uninterrupted offline run.
 */
class ScaleOutIT {

    static final int PER_PHASE = 5;
    static final InputSize INPUT = InputSize.parse("square:64");

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    @Test
    @Timeout(480)
    void twoInstancesShareThePartitionsAndTheSurvivorTakesOverWithRestoredContexts(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        String bootstrap = kafka.bootstrapServers();
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("scale.")
                .withMaxFrameAge(Duration.ZERO, true)
                .withInputSize(INPUT)
                .withHttpPort(-1);
        TopicSetup.ensure(bootstrap, config.topics(), 4);
        // One stream per partition, so that any split of the partitions splits the streams.
        List<String> streams = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; ; i++) {
                if (Kafka.partitionOf("cam-" + i, 4) == p && !streams.contains("cam-" + i)) {
                    streams.add("cam-" + i);
                    break;
                }
            }
        }
        int[] offsets = {0, 7, 14, 21};
        Map<String, List<Long>> sent = new LinkedHashMap<>();
        streams.forEach(s -> sent.put(s, new ArrayList<>()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("broker", kafka.kind());

        try (Tracker one = start(bootstrap, config, tmp.resolve("one"));
                FramePublisher pub = new FramePublisher(bootstrap, config.topics(), 90);
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, config.topics(), false)) {
            one.awaitRunning(Duration.ofSeconds(120));
            for (int k = 0; k < streams.size(); k++) {
                pub.sendInit(Clips.sampleInit(streams.get(k), 0, offsets[k]));
            }
            phase("one alone", pub, streams, offsets, sent, labels, 0);
            r.put("phase1_tasks", Map.of("one", tasks(one)));
            double oneBefore = labelled(one);

            Tracker two = start(bootstrap, config, tmp.resolve("two"));
            try (two) {
                Poll.until(
                        "both instances running with partitions of their own",
                        Duration.ofSeconds(180),
                        () -> running(one) && running(two) && tasks(one) > 0 && tasks(two) > 0,
                        () -> "one " + one.streams().state() + " " + tasks(one) + " tasks, two "
                                + two.streams().state() + " " + tasks(two) + " tasks");
                r.put("phase2_tasks", Map.of("one", tasks(one), "two", tasks(two)));
                phase("two instances", pub, streams, offsets, sent, labels, 1);
                r.put("phase2_labelled", Map.of("one", (int) (labelled(one) - oneBefore), "two", (int) labelled(two)));
                assertTrue(labelled(two) > 0, "the new instance labelled the streams of its partitions");
                assertTrue(labelled(one) > oneBefore, "the first instance kept labelling its own");
            }
            // Two left the group on close: one gets every partition back at once.
            Poll.until(
                    "one owns all four partitions again",
                    Duration.ofSeconds(180),
                    () -> running(one) && tasks(one) == 4,
                    () -> one.streams().state() + ", " + tasks(one) + " tasks");
            r.put("phase3_tasks", Map.of("one", tasks(one)));
            double oneMid = labelled(one);
            phase("one again", pub, streams, offsets, sent, labels, 2);
            r.put("phase3_labelled", Map.of("one", (int) (labelled(one) - oneMid)));

            var end = Kafka.endOffsets(bootstrap, config.topics().labels().name(), false);
            Poll.until("labels read to the end", Duration.ofSeconds(60), () -> labels.reached(end));
            Answers answers = new Answers(labels.all());
            List<String> differences = Expected.differences(streams, offsets, sent, answers, INPUT);
            int total = sent.values().stream().mapToInt(List::size).sum();
            r.put("streams", streams.size());
            r.put("frames_sent", total);
            r.put("answered", answers.answered());
            r.put("duplicated", answers.duplicates());
            r.put(
                    "duplicates_with_other_content",
                    answers.conflictingDuplicates().size());
            r.put("lost", answers.missing(sent).size());
            r.put("equal_to_uninterrupted_run", answers.answered() - differences.size());
            r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
            Reports.write("scale-out-and-back", r);

            assertEquals(total, answers.answered(), "every frame answered");
            assertEquals(List.of(), answers.conflictingDuplicates());
            assertEquals(List.of(), differences, "labels equal the uninterrupted run");
        }
    }

    /** Sends the next PER_PHASE frames of every stream and waits until all are answered. */
    private static void phase(
            String what,
            FramePublisher pub,
            List<String> streams,
            int[] offsets,
            Map<String, List<Long>> sent,
            TopicTail<FrameKey, FrameLabels> labels,
            int phase)
            throws Exception {
        int w = Clips.sample().width();
        int h = Clips.sample().height();
        for (int i = 0; i < PER_PHASE; i++) {
            long seq = (long) phase * PER_PHASE + i;
            for (int k = 0; k < streams.size(); k++) {
                pub.sendFrame(streams.get(k), seq, w, h, Clips.sampleJpeg(offsets[k] + (int) seq));
                sent.get(streams.get(k)).add(seq);
            }
        }
        pub.flush();
        Poll.until(
                "frames of phase '" + what + "' answered",
                Duration.ofSeconds(240),
                () -> new Answers(labels.all()).complete(sent),
                () -> "missing " + new Answers(labels.all()).missing(sent));
    }

    private static Tracker start(String bootstrap, TrackerConfig config, Path dir) throws Exception {
        return Tracker.start(
                new Tracker.Options(bootstrap, 0, dir, "it-scale", 1, "at_least_once", "random", 4, config),
                Models.random());
    }

    private static boolean running(Tracker t) {
        return t.streams().state() == KafkaStreams.State.RUNNING;
    }

    private static int tasks(Tracker t) {
        return t.streams().metadataForLocalThreads().stream()
                .mapToInt(m -> m.activeTasks().size())
                .sum();
    }

    private static double labelled(Tracker t) {
        return t.metrics().frames("labelled", "");
    }
}
