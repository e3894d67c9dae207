package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clock;
import dev.cycletrack.it.support.Expected;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.Scrape;
import dev.cycletrack.it.support.StreamSender;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.it.support.TrackerProcess;
import dev.cycletrack.schemas.DeadLetter;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.stream.broker.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Case 2, failover: the tracker runs as its own JVM and is killed with SIGKILL mid-stream while frames
 * keep coming; a new instance with an empty state directory (another machine) restores the streams'
 * contexts from the changelog topics and continues. Every frame is answered, and every answer equals
 * the uninterrupted (offline) run. At-least-once: any duplicate has the same content as the first
 * answer. Exactly-once (read_committed consumer): no duplicates at all.
 *
 * <p>The killed instance never leaves its consumer group, so the new one gets its partitions only once
 * the group coordinator expires it (session.timeout.ms, 45 s by default). The two guarantees run side
 * by side to wait that out once (and beside other test classes; only the soak runs alone).
 */
@Execution(ExecutionMode.CONCURRENT)
class FailoverIT {

    static final double FPS = 2;
    static final int KILL_AFTER = 8;
    /** Frames per stream sent after the kill, while no tracker runs. */
    static final int SENT_WHILE_DOWN = 6;

    static final InputSize INPUT = InputSize.parse("square:64");

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    @Timeout(540)
    void sigkillMidStreamLosesNothingAndTheRestoredContextsContinueExactly(String guarantee, @TempDir Path tmp)
            throws Exception {
        long started = System.nanoTime();
        boolean eos = guarantee.startsWith("exactly_once");
        String name = eos ? "eos" : "alos";
        String bootstrap = kafka.bootstrapServers();
        TopicRegistry topics = new TopicRegistry("failover-" + name + ".");
        TopicSetup.ensure(bootstrap, topics, 4);
        List<String> options = List.of(
                "--bootstrap-servers",
                bootstrap,
                "--application-id",
                "it-failover-" + name,
                "--topic-prefix",
                topics.prefix(),
                "--processing-guarantee",
                guarantee,
                "--partitions",
                "4",
                "--input-size",
                "square:64",
                // Frames wait in Kafka while no tracker runs: label them all, however old.
                "--catch-up");

        Map<String, Object> r = new LinkedHashMap<>();
        try (TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, topics, eos);
                TopicTail<byte[], byte[]> dead = Kafka.deadLetters(bootstrap, topics)) {
            TrackerProcess first =
                    TrackerProcess.start("failover-" + name + "-first", withDataDir(options, tmp.resolve("first")));
            StreamSender sender;
            long killedAtUs;
            int answeredBeforeKill;
            try (first) {
                first.awaitHealthy(Duration.ofSeconds(180));
                sender = new StreamSender(
                                bootstrap, topics, List.of(name + "-a", name + "-b"), new int[] {0, 10}, 10_000, FPS)
                        .start();
                Poll.until(
                        KILL_AFTER + " frames answered before the kill",
                        Duration.ofSeconds(180),
                        () -> labels.size() >= KILL_AFTER,
                        first::tail);
                first.kill();
                killedAtUs = Clock.nowMicros();
                answeredBeforeKill = new Answers(labels.all()).answered();
                r.put("sent_before_kill", sender.sentCount());
                r.put("answered_before_kill", answeredBeforeKill);
            }
            TrackerProcess second =
                    TrackerProcess.start("failover-" + name + "-second", withDataDir(options, tmp.resolve("second")));
            try (second;
                    sender) {
                int sentAtKill = (int) r.get("sent_before_kill");
                Poll.until(
                        "frames sent while no tracker runs",
                        Duration.ofSeconds(60),
                        () -> sender.sentCount() >= sentAtKill + 2 * SENT_WHILE_DOWN);
                sender.finish();
                r.put("sent_after_kill", sender.sentCount() - sentAtKill);
                second.awaitHealthy(Duration.ofSeconds(180));
                Poll.until(
                        "every frame answered after the restart",
                        Duration.ofSeconds(300),
                        () -> new Answers(labels.all()).complete(sender.sent()),
                        () -> "missing " + new Answers(labels.all()).missing(sender.sent()) + "\n" + second.tail());
                // The first label emitted after the kill (necessarily by the new instance).
                long firstAfter = labels.all().stream()
                        .mapToLong(x -> x.value().getEmitTimeUs())
                        .filter(t -> t > killedAtUs)
                        .min()
                        .orElse(0);
                var end = Kafka.endOffsets(bootstrap, topics.labels().name(), eos);
                Poll.until("labels read to the end", Duration.ofSeconds(60), () -> labels.reached(end));
                var deadEnd = Kafka.endOffsets(bootstrap, topics.deadLetter().name(), false);
                Poll.until("dead letters read to the end", Duration.ofSeconds(60), () -> dead.reached(deadEnd));
                Answers answers = new Answers(labels.all());
                List<String> differences = Expected.differences(sender, answers, INPUT);
                r.put("broker", kafka.kind());
                r.put("processing_guarantee", guarantee);
                r.put("frames_sent", sender.sentCount());
                r.put("answered", answers.answered());
                r.put("label_records", answers.records());
                r.put("duplicated", answers.duplicates());
                r.put(
                        "duplicates_with_other_content",
                        answers.conflictingDuplicates().size());
                r.put("lost", answers.missing(sender.sent()).size());
                r.put("equal_to_uninterrupted_run", answers.answered() - differences.size());
                r.put("dead_letters", dead.size());
                // Replayed frames whose state had reached the changelog before the kill are dropped as duplicates
                // (and dead-lettered with that reason: a resend is visible, not silent).
                double replayedDropped = Scrape.of(second.httpPort())
                        .value("cycletrack_frames_total", Map.of("result", "dropped", "reason", "duplicate"));
                r.put("replayed_frames_dropped_by_new_instance", replayedDropped);
                Map<String, Integer> deadByReason = new java.util.TreeMap<>();
                for (var d : dead.all()) {
                    deadByReason.merge(
                            String.valueOf(DeadLetter.header(d.record().headers(), DeadLetter.REASON)),
                            1,
                            Integer::sum);
                }
                r.put("dead_letters_by_reason", deadByReason);
                r.put("kill_to_first_label_after_restart_s", Reports.r1((firstAfter - killedAtUs) / 1e6));
                r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
                Reports.write("failover-" + name, r);

                assertEquals(sender.sentCount(), answers.answered(), "every frame answered");
                assertTrue(answers.answered() > answeredBeforeKill, "the new instance answered frames");
                assertEquals(List.of(), answers.conflictingDuplicates(), "duplicates have the first answer's content");
                if (eos) {
                    assertEquals(0, answers.duplicates(), "exactly once: no duplicates for a read_committed reader");
                }
                assertEquals(List.of(), differences, "labels equal the uninterrupted run");
                // Only replays may be dead-lettered (at-least-once), one per dropped duplicate.
                Map<String, Integer> expectedDead = new java.util.TreeMap<>();
                if (replayedDropped > 0) {
                    expectedDead.put("duplicate", (int) replayedDropped);
                }
                assertEquals(expectedDead, deadByReason, "dead letters: only the replayed duplicates");
                if (eos) {
                    assertEquals(0, dead.size(), "exactly once: no replay, nothing dead-lettered");
                }
            }
        }
    }

    private static List<String> withDataDir(List<String> options, Path dir) {
        List<String> out = new ArrayList<>(options);
        out.add("--data-dir");
        out.add(dir.toString());
        return out;
    }
}
