package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clips;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.Scrape;
import dev.cycletrack.it.support.StreamSender;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.DeadLetter;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Case 6, load and soak, bounded and on loopback: N streams at F frames/s each for S seconds (default
 * 4 x 3 x 30 s; {@code -Dit.soak.streams/fps/seconds} scale it) through a live tracker with its default
 * live settings (frames older than 1 s when their turn comes are skipped and answered as SKIPPED). No
 * errors: every frame answered once, nothing dead-lettered, nothing invalid. Memory bounded: the
 * in-memory contexts stop growing once full, and once the streams go quiet the idle eviction empties
 * them (active-streams gauge back to 0, stored contexts gone). Latency percentiles are recorded.
 */
@Isolated("latency figures: nothing else runs beside it")
class SoakIT {

    static final int STREAMS = Integer.getInteger("it.soak.streams", 4);
    static final double FPS = Double.parseDouble(System.getProperty("it.soak.fps", "3"));
    static final int SECONDS = Integer.getInteger("it.soak.seconds", 30);
    static final Duration IDLE = Duration.ofSeconds(5);

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    /** One sample of the tracker's gauges and this JVM's heap. */
    record Sample(double seconds, double activeStreams, double contextBytes, long heapBytes) {}

    @Test
    @Timeout(600)
    void boundedLoadIsAnsweredWithoutErrorsAndIdleStreamsAreEvicted(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        String bootstrap = kafka.bootstrapServers();
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("soak.")
                .withInputSize(InputSize.parse("square:64"))
                .withIdleTimeout(IDLE, Duration.ofSeconds(1))
                .withHttpPort(0);
        TopicSetup.ensure(bootstrap, config.topics(), 4);
        List<String> streams = new ArrayList<>();
        int[] offsets = new int[STREAMS];
        for (int k = 0; k < STREAMS; k++) {
            streams.add("soak-" + k);
            offsets[k] = 5 * k;
        }
        int frames = (int) Math.round(FPS * SECONDS);
        List<Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        try (Tracker tracker = Tracker.start(
                        new Tracker.Options(
                                bootstrap,
                                0,
                                tmp.resolve("tracker"),
                                "it-soak",
                                2,
                                "at_least_once",
                                "random",
                                4,
                                config),
                        Models.random());
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, config.topics(), false);
                TopicTail<byte[], byte[]> dead = Kafka.deadLetters(bootstrap, config.topics())) {
            tracker.awaitRunning(Duration.ofSeconds(120));
            int port = tracker.httpPort();
            long t0 = System.nanoTime();
            sampler.scheduleAtFixedRate(
                    () -> {
                        Scrape m = Scrape.of(port);
                        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                        samples.add(new Sample(
                                Reports.r1((System.nanoTime() - t0) / 1e9),
                                m.value("cycletrack_active_streams"),
                                m.value("cycletrack_context_bytes"),
                                heap.getUsed()));
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);
            StreamSender sender = new StreamSender(bootstrap, config.topics(), streams, offsets, frames, FPS).start();
            long sendStart = System.nanoTime();
            try (sender) {
                Poll.until("the sender done", Duration.ofSeconds(SECONDS + 120L), sender::done);
            }
            double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
            Poll.until(
                    "every frame answered",
                    Duration.ofSeconds(300),
                    () -> new Answers(labels.all()).complete(sender.sent()),
                    () -> "missing "
                            + new Answers(labels.all()).missing(sender.sent()).size());
            double drainedAfter = (System.nanoTime() - sendStart) / 1e9 - sendSeconds;
            var end = Kafka.endOffsets(bootstrap, config.topics().labels().name(), false);
            Poll.until("labels read to the end", Duration.ofSeconds(60), () -> labels.reached(end));
            List<Sample> underLoad = List.copyOf(samples);

            // Quiet now: after the idle timeout every stream is evicted, cache and stored context.
            long quietFrom = System.nanoTime();
            Poll.until(
                    "idle streams evicted",
                    Duration.ofSeconds(120),
                    () -> {
                        Scrape m = Scrape.of(port);
                        return m.value("cycletrack_streams_evicted_total") >= STREAMS
                                && m.value("cycletrack_active_streams") == 0
                                && m.value("cycletrack_context_bytes") == 0;
                    },
                    () -> Scrape.of(port)
                            .text()
                            .lines()
                            .filter(l ->
                                    l.startsWith("cycletrack_active") || l.startsWith("cycletrack_streams_evicted"))
                            .toList()
                            .toString());
            double evictedAfter = (System.nanoTime() - quietFrom) / 1e9;
            sampler.shutdownNow();
            // The stored context went too: a new frame of an evicted stream has no LabelInit to go on.
            try (FramePublisher pub = new FramePublisher(bootstrap, config.topics(), 90)) {
                pub.sendFrame(
                                streams.get(0),
                                frames,
                                Clips.sample().width(),
                                Clips.sample().height(),
                                sender.jpeg(0, 0))
                        .get(30, TimeUnit.SECONDS);
            }
            Poll.until("the late frame dead-lettered", Duration.ofSeconds(120), () -> dead.size() >= 1);
            String lateReason = DeadLetter.header(dead.all().get(0).record().headers(), DeadLetter.REASON);

            Answers answers = new Answers(labels.all());
            List<Double> e2e = new ArrayList<>();
            List<Double> emit = new ArrayList<>();
            List<Double> compute = new ArrayList<>();
            int skipped = 0;
            for (var x : labels.all()) {
                FrameLabels l = x.value();
                if (l.getStatus() == LabelStatus.SKIPPED) {
                    skipped++;
                    continue;
                }
                e2e.add((x.receivedUs() - l.getCaptureTimeUs()) / 1000.0);
                emit.add((l.getEmitTimeUs() - l.getCaptureTimeUs()) / 1000.0);
                compute.add(l.getTimings().getComputeUs() / 1000.0);
            }
            Scrape m = Scrape.of(port);
            double invalid = m.value("cycletrack_frames_total", Map.of("result", "invalid"));
            double maxActive =
                    underLoad.stream().mapToDouble(Sample::activeStreams).max().orElse(0);
            // Contexts fill during the first m frames of each stream, then stay flat.
            int half = underLoad.size() / 2;
            double firstHalfBytes = underLoad.subList(0, half).stream()
                    .mapToDouble(Sample::contextBytes)
                    .max()
                    .orElse(0);
            double secondHalfBytes = underLoad.subList(half, underLoad.size()).stream()
                    .mapToDouble(Sample::contextBytes)
                    .max()
                    .orElse(0);
            long heapMax = underLoad.stream().mapToLong(Sample::heapBytes).max().orElse(0);

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("broker", kafka.kind());
            r.put(
                    "load",
                    STREAMS + " streams x " + FPS + " frames/s x " + SECONDS + " s, square:64, random encoder, "
                            + "2 stream threads, batch 8, max frame age 1000 ms");
            r.put("frames_sent", sender.sentCount());
            r.put("answered", answers.answered());
            r.put("labelled", answers.answered() - skipped);
            r.put("skipped_too_old", skipped);
            r.put("duplicated", answers.duplicates());
            r.put("lost", answers.missing(sender.sent()).size());
            r.put("dead_letters_during_load", dead.size() - 1);
            r.put("invalid_metric", invalid - 1);
            r.put("send_s", Reports.r1(sendSeconds));
            r.put("drained_after_send_s", Reports.r1(drainedAfter));
            r.put(
                    "e2e_capture_to_consumer_ms",
                    Map.of(
                            "p50", Reports.r1(Reports.percentile(e2e, 50)),
                            "p95", Reports.r1(Reports.percentile(e2e, 95)),
                            "p99", Reports.r1(Reports.percentile(e2e, 99)),
                            "max", Reports.r1(Reports.percentile(e2e, 100))));
            r.put(
                    "capture_to_emit_ms",
                    Map.of(
                            "p50", Reports.r1(Reports.percentile(emit, 50)),
                            "p95", Reports.r1(Reports.percentile(emit, 95)),
                            "p99", Reports.r1(Reports.percentile(emit, 99))));
            r.put(
                    "compute_ms",
                    Map.of(
                            "p50", Reports.r1(Reports.percentile(compute, 50)),
                            "p95", Reports.r1(Reports.percentile(compute, 95)),
                            "p99", Reports.r1(Reports.percentile(compute, 99))));
            r.put("active_streams_max", maxActive);
            r.put("context_bytes_max_first_half", firstHalfBytes);
            r.put("context_bytes_max_second_half", secondHalfBytes);
            r.put("heap_used_max_mb", heapMax >> 20);
            r.put("evicted_after_quiet_s", Reports.r1(evictedAfter));
            r.put("late_frame_after_eviction", lateReason);
            r.put(
                    "load_average_1m",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            r.put("cores", Runtime.getRuntime().availableProcessors());
            r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
            Reports.write("soak", r);

            assertEquals(sender.sentCount(), answers.answered(), "every frame answered");
            assertEquals(0, answers.duplicates());
            assertEquals(1, dead.size(), "nothing dead-lettered under load (only the late frame after eviction)");
            assertEquals(1, invalid, "no invalid frame under load");
            assertTrue(maxActive <= STREAMS, "active streams " + maxActive);
            assertTrue(
                    secondHalfBytes <= firstHalfBytes,
                    "contexts stop growing once full: " + firstHalfBytes + " then " + secondHalfBytes);
            assertEquals("no_label_init", lateReason);
        }
    }
}
