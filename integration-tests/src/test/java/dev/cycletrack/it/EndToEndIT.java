package dev.cycletrack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.datasets.DavisSequence;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.it.support.Answers;
import dev.cycletrack.it.support.BrokerExtension;
import dev.cycletrack.it.support.Clips;
import dev.cycletrack.it.support.Kafka;
import dev.cycletrack.it.support.Offline;
import dev.cycletrack.it.support.Poll;
import dev.cycletrack.it.support.Reports;
import dev.cycletrack.it.support.TopicTail;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.cli.IngestCommand;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.Models;
import dev.cycletrack.stream.processor.MaskPng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Case 1, end to end: three streams of real clips go through the {@code ingest} command, the tracker
 * and the labels topic of a real broker. Every frame is answered exactly once, and the labels equal the
 * offline propagation (core's PropagationTracker, what {@code eval} runs) of the same frame bytes.
 */
class EndToEndIT {

    static final int FRAMES = 12;
    static final InputSize INPUT = InputSize.parse("square:64");

    @RegisterExtension
    static final BrokerExtension kafka = new BrokerExtension();

    /** One ingest run: its command line and what it is. */
    record Source(String stream, String what, List<String> args) {}

    @Test
    @Timeout(420)
    void threeClipStreamsThroughIngestAreAnsweredOnceAndEqualOfflinePropagation(@TempDir Path tmp) throws Exception {
        long started = System.nanoTime();
        String bootstrap = kafka.bootstrapServers();
        // Default batching (B = 8): the encoder service gives every frame of a batch its own forward pass on
        // the CPU, so features, and so labels, are bit-identical to the offline one-frame-at-a-time run.
        TrackerConfig config = TrackerConfig.defaults()
                .withTopicPrefix("e2e.")
                .withMaxFrameAge(Duration.ZERO, true)
                .withInputSize(INPUT)
                .withHttpPort(-1);
        TopicRegistry topics = config.topics();
        TopicSetup.ensure(bootstrap, topics, 4);
        List<Source> sources = sources(tmp, bootstrap);

        try (Tracker tracker = Tracker.start(
                        new Tracker.Options(
                                bootstrap,
                                0,
                                tmp.resolve("tracker"),
                                "it-e2e",
                                2,
                                "at_least_once",
                                "random",
                                4,
                                config),
                        Models.random());
                TopicTail<FrameKey, FrameLabels> labels = Kafka.labels(bootstrap, topics, false)) {
            tracker.awaitRunning(Duration.ofSeconds(120));

            // The three ingests run side by side, as three cameras would.
            ExecutorService pool = Executors.newFixedThreadPool(sources.size());
            List<Future<Integer>> runs = new ArrayList<>();
            for (Source s : sources) {
                runs.add(pool.submit(() ->
                        new CommandLine(new IngestCommand()).execute(s.args().toArray(String[]::new))));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertEquals(0, runs.get(i).get(), "ingest of " + sources.get(i).what() + " failed");
            }
            pool.shutdown();

            Map<String, List<Long>> sent = new LinkedHashMap<>();
            for (Source s : sources) {
                sent.put(s.stream(), LongStream.range(0, FRAMES).boxed().toList());
            }
            Poll.until(
                    "every ingested frame answered",
                    Duration.ofSeconds(300),
                    () -> new Answers(labels.all()).complete(sent),
                    () -> "missing " + new Answers(labels.all()).missing(sent));
            // Everything the tracker wrote so far has been read: a duplicate cannot still be on its way.
            var end = Kafka.endOffsets(bootstrap, topics.labels().name(), false);
            Poll.until("labels read to the end", Duration.ofSeconds(30), () -> labels.reached(end));
            Answers answers = new Answers(labels.all());

            // The offline reference, from the very bytes ingest put on the topics.
            Map<String, List<Frame>> frames = readFrames(bootstrap, topics, sent);
            Map<String, LabelInit> inits = readInits(bootstrap, topics, sent.size());
            Map<String, Object> perStream = new LinkedHashMap<>();
            int equal = 0;
            List<String> differences = new ArrayList<>();
            try (ModelArtifact random = ModelArtifact.createRandom(0, PaddingMode.REFLECT);
                    Encoder encoder = random.encoder()) {
                for (Source s : sources) {
                    Map<Long, Object> expected =
                            Offline.propagate(encoder, inits.get(s.stream()), frames.get(s.stream()), INPUT);
                    int streamEqual = 0;
                    for (var e : answers.first(s.stream()).entrySet()) {
                        String d = Offline.difference(e.getValue(), expected.get(e.getKey()));
                        if (d == null) {
                            streamEqual++;
                        } else {
                            differences.add(s.stream() + ": " + d);
                        }
                    }
                    equal += streamEqual;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("source", s.what());
                    row.put("sent", FRAMES);
                    row.put("answered", answers.answered(s.stream()));
                    row.put("equal_to_offline", streamEqual);
                    perStream.put(s.stream(), row);
                }
            }
            int total = FRAMES * sources.size();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("broker", kafka.kind());
            r.put("streams", perStream);
            r.put("frames_sent", total);
            r.put("answered", answers.answered());
            r.put("duplicated", answers.duplicates());
            r.put("lost", answers.missing(sent).size());
            r.put("equal_to_offline", equal);
            r.put("input", "square:64 (tracker --input-size), encoder batch size 8 (default), catch-up");
            r.put("wall_s", Reports.r1((System.nanoTime() - started) / 1e9));
            Reports.write("end-to-end", r);

            assertEquals(total, answers.answered(), "every frame answered");
            assertEquals(0, answers.duplicates(), "no frame answered twice");
            assertTrue(differences.isEmpty(), "labels differ from the offline run: " + differences);
            assertEquals(total, equal);
        }
    }

    /**
     * The sample video with its joint_positions.mat; the sample's frames from frame 10 as an image folder
     * with a JSON labels file; a DAVIS mask sequence from ../shared when present (otherwise the sample
     * again from frame 20, said so on the console).
     */
    private List<Source> sources(Path tmp, String bootstrap) throws Exception {
        List<Source> out = new ArrayList<>();
        List<String> common = List.of("--bootstrap-servers", bootstrap, "--topic-prefix", "e2e.");
        out.add(source(
                "jhmdb-video",
                "J-HMDB sample video + joint_positions.mat",
                common,
                "--source",
                Clips.sampleVideo().toString(),
                "--labels",
                Clips.sampleJoints().toString()));
        out.add(sampleFolder(tmp, "jhmdb-frames-10", 10, common));
        var davis = Clips.davis("blackswan");
        if (davis.isPresent()) {
            out.add(davisFolder(tmp, davis.get(), common));
        } else {
            System.out.println("[e2e] ../shared/data/davis2016/blackswan is absent: the third stream is the sample "
                    + "from frame 20 instead of a DAVIS mask sequence");
            out.add(sampleFolder(tmp, "jhmdb-frames-20", 20, common));
        }
        return out;
    }

    private static Source source(String stream, String what, List<String> common, String... args) {
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--stream", stream, "--max-frames", String.valueOf(FRAMES)));
        a.addAll(List.of(args));
        return new Source(stream, what, a);
    }

    private static Source sampleFolder(Path tmp, String stream, int from, List<String> common) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(stream));
        var frames = Clips.sampleFrames();
        for (int i = 0; i < FRAMES; i++) {
            Files.write(dir.resolve(String.format("%05d.png", i)), Images.encodePng(frames.get(from + i)));
        }
        LabelInit init = Clips.sampleInit(stream, 0, from);
        StringBuilder json = new StringBuilder("{\"task\": \"keypoints\", \"preset\": \"pose\", \"keypoints\": [");
        for (int j = 0; j < init.getKeypointsCount(); j++) {
            var k = init.getKeypoints(j);
            json.append(j == 0 ? "" : ", ")
                    .append(String.format(
                            java.util.Locale.ROOT,
                            "{\"id\": %d, \"name\": \"%s\", \"x\": %s, \"y\": %s, \"visible\": %s}",
                            k.getId(),
                            k.getName(),
                            Double.toString(k.getX()),
                            Double.toString(k.getY()),
                            k.getVisible()));
        }
        json.append("]}");
        Path labels = tmp.resolve(stream + ".json");
        Files.writeString(labels, json);
        return source(
                stream,
                "J-HMDB sample frames " + from + "-" + (from + FRAMES - 1) + " as PNG files + JSON keypoints",
                common,
                "--source",
                dir.toString(),
                "--labels",
                labels.toString());
    }

    private static Source davisFolder(Path tmp, DavisSequence seq, List<String> common) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("davis"));
        for (int i = 0; i < FRAMES; i++) {
            Files.copy(seq.framePath(i), dir.resolve(seq.framePath(i).getFileName()));
        }
        Path mask = tmp.resolve("davis-mask.png");
        Files.write(mask, MaskPng.encode(seq.readAnnotation(0)));
        Path labels = tmp.resolve("davis.json");
        Files.writeString(labels, "{\"task\": \"mask\", \"preset\": \"vos\", \"mask\": \"davis-mask.png\"}");
        return source(
                "davis-" + seq.name(),
                "DAVIS 2016 " + seq.name() + " frames 0-" + (FRAMES - 1) + " (JPEG folder) + frame-0 mask",
                common,
                "--source",
                dir.toString(),
                "--labels",
                labels.toString());
    }

    static Map<String, List<Frame>> readFrames(String bootstrap, TopicRegistry topics, Map<String, List<Long>> sent)
            throws Exception {
        int total = sent.values().stream().mapToInt(List::size).sum();
        try (TopicTail<String, Frame> tail = new TopicTail<>(
                bootstrap,
                topics.frames().name(),
                Serdes.String().deserializer(),
                topics.frames().valueSerde().deserializer(),
                false)) {
            Poll.until("frames read back", Duration.ofSeconds(60), () -> tail.size() >= total);
            Map<String, List<Frame>> out = new LinkedHashMap<>();
            for (var r : tail.all()) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
            out.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(Frame::getSeq)));
            return out;
        }
    }

    static Map<String, LabelInit> readInits(String bootstrap, TopicRegistry topics, int n) throws Exception {
        try (TopicTail<String, LabelInit> tail = new TopicTail<>(
                bootstrap,
                topics.labelInit().name(),
                Serdes.String().deserializer(),
                topics.labelInit().valueSerde().deserializer(),
                false)) {
            Poll.until("LabelInits read back", Duration.ofSeconds(60), () -> tail.size() >= n);
            Map<String, LabelInit> out = new LinkedHashMap<>();
            for (var r : tail.all()) {
                out.put(r.key(), r.value());
            }
            return out;
        }
    }
}
