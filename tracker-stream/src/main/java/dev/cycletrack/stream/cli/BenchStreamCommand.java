package dev.cycletrack.stream.cli;

import dev.cycletrack.core.bench.BenchOutput;
import dev.cycletrack.core.bench.CpuSteal;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.LabelsReader;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.encoder.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack bench stream}: live throughput and latency through the embedded broker. */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "Live throughput and latency of the streaming tracker through the embedded broker.",
            "N streams of the shipped sample clip (looped) sent live at F frames/s each for S seconds through",
            "the embedded broker and the tracker (pose preset). Reports achieved frames/s, end-to-end latency",
            "(capture -> labels received) p50/p95/p99, Kafka overhead (end to end minus the tracker's compute)",
            "and frames skipped as too old. Writes JSON (keys fps, e2e_p50_ms, e2e_p99_ms, overhead_p50_ms,",
            "skipped, ...) and the section 'bench stream (<guarantee>)' of docs/benchmarks.md."
        })
public final class BenchStreamCommand implements Callable<Integer> {

    @Option(names = "--streams", defaultValue = "2", description = "Streams N (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--fps", defaultValue = "5", description = "Frames/s per stream F (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of sending S (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(
            names = "--encoder-workers",
            defaultValue = "0",
            description =
                    "Tracker's encoder workers; 0 = one per core on the CPU, one on a GPU (default: ${DEFAULT-VALUE}).")
    int encoderWorkers;

    @Option(names = "--threads", defaultValue = "2", description = "Tracker stream threads.")
    int threads;

    @Option(
            names = "--processing-guarantee",
            defaultValue = "at_least_once",
            description = "at_least_once or exactly_once_v2.")
    String guarantee;

    @Option(names = "--max-frame-age-ms", defaultValue = "1000", description = "Tracker's max frame age.")
    long maxAgeMs;

    @Option(names = "--input-size", description = "Override the pose preset's 320x320 input.")
    String inputSize;

    @Option(
            names = "--model",
            description =
                    "Model directory or 'random' (default: models/stfc3, else the newest under models/, else random).")
    String model;

    @Mixin
    BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        Path clipDir = Samples.jhmdbCatch()
                .orElseThrow(
                        () -> new IOException("the shipped sample samples/" + Samples.JHMDB_CATCH + " was not found"));
        JhmdbClip clip = JhmdbClip.open(clipDir);
        List<byte[]> jpegs = new ArrayList<>();
        try (FrameStream frames = clip.frames()) {
            while (frames.hasNext()) {
                jpegs.add(Images.encodeJpeg(frames.next(), 90));
            }
        }
        Path work = ProjectPaths.root().orElse(Path.of(".")).resolve("out").resolve(".bench-kafka");
        DemoCommand.deleteTree(work);
        LoadedModel m = Models.initial(model);
        TrackerConfig config = TrackCommand.config(
                        TopicRegistry.DEFAULT_PREFIX, maxAgeMs, false, 600, 8, 5, inputSize, -1)
                .withEncoderWorkers(encoderWorkers);
        Tracker.Options o = new Tracker.Options(
                null, 0, work, "cycletrack-bench", threads, guarantee, model, Math.max(2, streams), config);
        Map<String, Object> r = new LinkedHashMap<>();
        try (Tracker tracker = Tracker.start(o, m);
                FramePublisher pub = new FramePublisher(tracker.bootstrapServers(), config.topics(), 90);
                LabelsReader<FrameKey, FrameLabels> reader = new LabelsReader<>(
                        tracker.bootstrapServers(), config.topics().labels(), true)) {
            tracker.awaitRunning(Duration.ofSeconds(90));
            List<String> ids = streamIds(streams, Math.max(2, streams));
            // Warm-up (not measured): each stream's frame 0 and two frames, one at a time.
            for (String id : ids) {
                pub.sendInit(init(id, clip));
            }
            long seq = 0;
            for (; seq < 3; seq++) {
                for (String id : ids) {
                    pub.sendFrame(id, seq, clip.width(), clip.height(), jpegs.get((int) seq));
                }
                pub.flush();
                awaitAll(reader, ids.size(), Duration.ofSeconds(120), new ArrayList<>());
            }
            System.err.printf(
                    Locale.ROOT, "warm; sending %d streams x %.1f frames/s for %.0f s%n", streams, fps, duration);
            // Measured: open loop, frames due at fixed times whether or not the tracker keeps up.
            long intervalNs = (long) (1e9 / fps);
            CpuSteal stealBefore = CpuSteal.snapshot();
            long start = System.nanoTime();
            long end = start + (long) (duration * 1e9);
            int sent = 0;
            List<Received> got = new ArrayList<>();
            long next = start;
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    drain(reader, got, Duration.ofNanos(Math.min(wait, 5_000_000)));
                    continue;
                }
                for (String id : ids) {
                    pub.sendFrame(id, seq, clip.width(), clip.height(), jpegs.get((int) (seq % jpegs.size())));
                    sent++;
                }
                seq++;
                next += intervalNs;
            }
            pub.flush();
            long drainEnd = System.nanoTime() + 120_000_000_000L;
            while (got.size() < sent && System.nanoTime() < drainEnd) {
                drain(reader, got, Duration.ofMillis(50));
            }
            long last = got.stream().mapToLong(Received::nanos).max().orElse(end);
            List<Double> e2e = new ArrayList<>();
            List<Double> overhead = new ArrayList<>();
            List<Double> compute = new ArrayList<>();
            Map<String, List<Double>> stages = new LinkedHashMap<>();
            for (String stage : List.of("queue", "decode", "encode", "propagate", "labels", "return")) {
                stages.put(stage, new ArrayList<>());
            }
            int skipped = 0;
            int labelled = 0;
            for (Received x : got) {
                if (x.labels.getStatus() == LabelStatus.SKIPPED) {
                    skipped++;
                    continue;
                }
                labelled++;
                double ms = (x.micros - x.labels.getCaptureTimeUs()) / 1000.0;
                double c = x.labels.getTimings().getComputeUs() / 1000.0;
                e2e.add(ms);
                compute.add(c);
                overhead.add(ms - c);
                var t = x.labels.getTimings();
                stages.get("queue").add(t.getQueueUs() / 1000.0);
                stages.get("decode").add(t.getDecodeUs() / 1000.0);
                stages.get("encode").add(t.getEncodeUs() / 1000.0);
                stages.get("propagate").add(t.getPropagateUs() / 1000.0);
                stages.get("labels").add(t.getLabelsUs() / 1000.0);
                // Emitted by the processor until read by the consumer: the label's way back through Kafka.
                stages.get("return").add((x.micros - x.labels.getEmitTimeUs()) / 1000.0);
            }
            Percentiles pe = new Percentiles(e2e);
            double secs = (last - start) / 1e9;
            r.put("fps", Percentiles.round(labelled / secs));
            r.put("e2e_p50_ms", Percentiles.round(pe.p(50)));
            r.put("e2e_p95_ms", Percentiles.round(pe.p(95)));
            r.put("e2e_p99_ms", Percentiles.round(pe.p(99)));
            r.put("overhead_p50_ms", Percentiles.round(new Percentiles(overhead).p(50)));
            r.put("compute_p50_ms", Percentiles.round(new Percentiles(compute).p(50)));
            // Where the time goes: a queue far above the compute means the offered rate exceeds capacity.
            Map<String, Double> stageP50 = new LinkedHashMap<>();
            stages.forEach((stage, values) -> stageP50.put(stage, Percentiles.round(new Percentiles(values).p(50))));
            r.put("stage_p50_ms", stageP50);
            r.put("skipped", skipped);
            r.put("labelled", labelled);
            r.put("sent", sent);
            r.put("answered", got.size());
            r.put("streams", streams);
            r.put("target_fps_per_stream", fps);
            r.put("duration_s", duration);
            r.put("processing_guarantee", guarantee);
            r.put("threads", threads);
            r.put("encoder_workers", config.effectiveEncoderWorkers(m.encoder().prefersBatches()));
            r.put("encoder", m.encoder().describeRuntime());
            r.put("propagation", Propagator.describeWindowed());
            r.put("input", inputSize == null ? "pose preset (320x320)" : inputSize);
            r.put("model", m.version());
            r.put("cores", Runtime.getRuntime().availableProcessors());
            r.put("load_average_1m", loadAverage());
            r.put("cpu_steal_percent", CpuSteal.snapshot().percentSince(stealBefore));
        }
        DemoCommand.deleteTree(work);
        // One section per setting, so a below-capacity run and a saturation run stand side by side.
        String section = "bench stream (" + guarantee + (inputSize == null ? "" : ", " + inputSize) + ", " + streams
                + "x" + fmt(fps) + " fps)";
        output.publish(r, section, () -> markdown(r));
        return 0;
    }

    private record Received(FrameLabels labels, long micros, long nanos) {}

    private static void drain(LabelsReader<FrameKey, FrameLabels> reader, List<Received> got, Duration wait) {
        for (var rec : reader.poll(wait)) {
            got.add(new Received(rec.value(), FramePublisher.nowMicros(), System.nanoTime()));
        }
    }

    private static void awaitAll(
            LabelsReader<FrameKey, FrameLabels> reader, int n, Duration timeout, List<Received> sink) {
        long end = System.nanoTime() + timeout.toNanos();
        int before = sink.size();
        while (sink.size() - before < n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("warm-up frames not answered within " + timeout);
            }
            drain(reader, sink, Duration.ofMillis(50));
        }
    }

    private static LabelInit init(String id, JhmdbClip clip) {
        LabelInit.Builder b = LabelInit.newBuilder()
                .setStreamId(id)
                .setSeq(0)
                .setTask(Task.KEYPOINTS)
                .setPreset("pose")
                .setWidth(clip.width())
                .setHeight(clip.height());
        List<Keypoint> joints = new ArrayList<>();
        for (Keypoint k : clip.joints(0)) {
            boolean inside = k.x() >= 0 && k.y() >= 0 && k.x() < clip.width() && k.y() < clip.height();
            joints.add(inside ? k : Keypoint.INVISIBLE);
        }
        LabelsFile.addKeypoints(b, joints, JhmdbClip.JOINT_NAMES);
        return b.build();
    }

    private static double loadAverage() {
        return Percentiles.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    private String markdown(Map<String, Object> r) {
        return String.format(
                Locale.ROOT,
                """
                ### Streaming tracker, %s%s (`./cycletrack bench stream --streams %d --fps %s --duration %s%s%s`)

                %d streams of the J-HMDB sample (320x240 JPEG, looped) at %s frames/s each for %s s through the
                embedded KRaft broker and the tracker (%d stream threads, %d encoder worker(s) running %s, %s, model `%s`, %s),
                %s, %d cores, 1-minute load average %s, %s%% of the CPU time stolen by the hypervisor during the run.

                | frames/s | e2e p50 | e2e p95 | e2e p99 | Kafka overhead p50 | compute p50 | sent | labelled | skipped |
                |---|---|---|---|---|---|---|---|---|
                | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s | %s | %s |

                Per-stage p50 (ms): %s.

                End to end = labels received by a consumer minus the frame's capture time; Kafka overhead = end to
                end minus the tracker's own compute for the frame (decode, encode, propagate, labels): the time in
                Kafka and in the partition behind earlier frames (stage "queue"), so it measures Kafka itself only
                while the offered rate is below the tracker's capacity. Skipped = frames older than max-frame-age
                (%d ms) when their turn came. Stage "queue" is capture to the start of processing, "return" the label's
                way from the processor to the consumer.
                """,
                r.get("processing_guarantee"),
                inputSize == null ? "" : ", input " + inputSize,
                streams,
                fmt(fps),
                fmt(duration),
                guarantee.equals("at_least_once") ? "" : " --processing-guarantee " + guarantee,
                inputSize == null ? "" : " --input-size " + inputSize,
                streams,
                fmt(fps),
                fmt(duration),
                threads,
                r.get("encoder_workers"),
                r.get("encoder"),
                r.get("processing_guarantee"),
                r.get("model"),
                r.get("input"),
                LocalDate.now(),
                r.get("cores"),
                r.get("load_average_1m"),
                r.get("cpu_steal_percent"),
                r.get("fps"),
                r.get("e2e_p50_ms"),
                r.get("e2e_p95_ms"),
                r.get("e2e_p99_ms"),
                r.get("overhead_p50_ms"),
                r.get("compute_p50_ms"),
                r.get("sent"),
                r.get("labelled"),
                r.get("skipped"),
                stageText(r.get("stage_p50_ms")),
                maxAgeMs);
    }

    /**
     * Stream ids that the default partitioner spreads over the partitions round-robin: with ids hashed
     * at random, two streams share a partition (and so one stream thread) half of the time, which
     * halves the measured throughput.
     */
    static List<String> streamIds(int streams, int partitions) {
        List<String> ids = new ArrayList<>();
        int candidate = 0;
        for (int s = 0; s < streams; s++) {
            int wanted = s % partitions;
            String id;
            do {
                id = "bench-" + candidate++;
            } while (partitionOf(id, partitions) != wanted);
            ids.add(id);
        }
        return ids;
    }

    /** The partition Kafka's default partitioner gives a record with this String key. */
    static int partitionOf(String key, int partitions) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes))
                % partitions;
    }

    private static String stageText(Object stages) {
        StringBuilder b = new StringBuilder();
        if (stages instanceof Map<?, ?> m) {
            m.forEach((k, v) ->
                    b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new BenchStreamCommand();
        }

        @Override
        public String parent() {
            return "bench";
        }
    }
}
