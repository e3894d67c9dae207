package dev.cycletrack.stream.cli;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.metrics.JhmdbPck;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack demo}: the whole live path on the shipped sample, with nothing set up. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Live demo on the shipped sample: embedded Kafka + tracker, out/demo.mp4, latency and PCK.",
            "Starts an embedded Kafka broker and the tracker in this process, ingests the shipped J-HMDB",
            "sample clip with its first-frame keypoints (one frame in flight, like a live camera the tracker",
            "keeps up with), writes out/demo.mp4 with the tracked keypoints (dots) and the ground truth",
            "(rings), and prints the latency summary and the PCK against the sample's ground truth.",
            "Uses the newest model under models/, else the random encoder."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo.mp4", description = "Video to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--model",
            description =
                    "Model artifact directory or 'random' (default: models/stfc3, else the newest under models/, else random).")
    String model;

    @Option(names = "--input-size", description = "Override the pose preset's 320x320 input (e.g. square:256).")
    String inputSize;

    @Option(
            names = "--jpeg-quality",
            defaultValue = "0",
            description = "Send JPEG frames of this quality; default 0 = lossless PNG: the same frames and"
                    + " labels as `eval --dataset jhmdb --root samples --method random`, so the same PCK.")
    int jpegQuality;

    @Override
    public Integer call() throws Exception {
        long wallStart = System.nanoTime();
        Path clipDir = Samples.jhmdbCatch()
                .orElseThrow(() -> new IOException(
                        "the shipped sample samples/" + Samples.JHMDB_CATCH + " was not found (run from the project)"));
        JhmdbClip clip = JhmdbClip.open(clipDir);
        List<byte[]> jpegs = new ArrayList<>();
        try (FrameStream frames = clip.frames()) {
            while (frames.hasNext()) {
                var img = frames.next();
                jpegs.add(jpegQuality > 0 ? Images.encodeJpeg(img, jpegQuality) : Images.encodePng(img));
            }
        }
        Path work = ProjectPaths.root().orElse(Path.of(".")).resolve("out").resolve(".demo-kafka");
        deleteTree(work);
        LoadedModel m = Models.initial(model);
        System.err.println("model: " + m + " (encoder: " + m.encoder().describeRuntime() + "); sample: " + clip.name()
                + " (" + jpegs.size() + " frames, " + clip.width() + "x" + clip.height() + ")");
        TrackerConfig config = TrackCommand.config(TopicRegistry.DEFAULT_PREFIX, 0, true, 600, 8, 5, inputSize, -1);
        Tracker.Options o = new Tracker.Options(null, 0, work, "cycletrack-demo", 1, "at_least_once", model, 1, config);
        Map<Long, FrameLabels> labels = new TreeMap<>();
        Map<Long, Frame> sent = new HashMap<>();
        Map<Long, Double> e2e = new HashMap<>();
        long loopStart;
        long loopEnd;
        try (Tracker tracker = Tracker.start(o, m)) {
            tracker.awaitRunning(Duration.ofSeconds(90));
            System.err.printf(Locale.ROOT, "broker and tracker up in %.1f s%n", (System.nanoTime() - wallStart) / 1e9);
            String stream = "demo";
            LabelInit.Builder init = LabelInit.newBuilder()
                    .setStreamId(stream)
                    .setSeq(0)
                    .setTask(Task.KEYPOINTS)
                    .setPreset("pose")
                    .setWidth(clip.width())
                    .setHeight(clip.height());
            List<Keypoint> joints0 = new ArrayList<>();
            for (Keypoint k : clip.joints(0)) {
                boolean inside = k.x() >= 0 && k.y() >= 0 && k.x() < clip.width() && k.y() < clip.height();
                joints0.add(inside ? k : Keypoint.INVISIBLE);
            }
            LabelsFile.addKeypoints(init, joints0, JhmdbClip.JOINT_NAMES);
            try (FramePublisher pub = new FramePublisher(tracker.bootstrapServers(), config.topics(), 90);
                    LabelsReader<FrameKey, FrameLabels> reader = new LabelsReader<>(
                            tracker.bootstrapServers(), config.topics().labels(), true)) {
                pub.sendInit(init.build());
                loopStart = System.nanoTime();
                for (int i = 0; i < jpegs.size(); i++) {
                    pub.sendFrame(stream, i, clip.width(), clip.height(), encoding(), jpegs.get(i));
                    pub.flush();
                    long deadline = System.nanoTime() + 120_000_000_000L;
                    while (!labels.containsKey((long) i)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("no labels for frame " + i + " within 120 s");
                        }
                        for (var r : reader.poll(Duration.ofMillis(20))) {
                            long now = FramePublisher.nowMicros();
                            FrameLabels l = r.value();
                            labels.put(l.getSeq(), l);
                            e2e.put(l.getSeq(), (now - l.getCaptureTimeUs()) / 1000.0);
                        }
                    }
                    System.err.print("\rframe " + (i + 1) + "/" + jpegs.size());
                }
                loopEnd = System.nanoTime();
                System.err.println();
            }
            for (int i = 0; i < jpegs.size(); i++) {
                sent.put(
                        (long) i,
                        Frame.newBuilder()
                                .setSeq(i)
                                .setWidth(clip.width())
                                .setHeight(clip.height())
                                .setEncoding(encoding())
                                .setData(com.google.protobuf.ByteString.copyFrom(jpegs.get(i)))
                                .build());
            }
        }

        // PCK against the ground truth, as eval scores J-HMDB (frame 0 skipped).
        List<Keypoint[]> gt = new ArrayList<>();
        List<Keypoint[]> pred = new ArrayList<>();
        Map<Long, List<Keypoint>> truth = new HashMap<>();
        for (int i = 0; i < jpegs.size(); i++) {
            FrameLabels l = labels.get((long) i);
            if (l == null || l.getStatus() != LabelStatus.LABELLED) {
                throw new IllegalStateException("frame " + i + " was not labelled");
            }
            gt.add(clip.joints(i).toArray(new Keypoint[0]));
            pred.add(ViewCommand.keypoints(l).toArray(new Keypoint[0]));
            truth.put((long) i, clip.joints(i));
        }
        JhmdbPck pck = new JhmdbPck();
        pck.addVideo(gt, pred);
        int written = ViewCommand.render(sent, labels, truth, out, 25);

        List<Double> lat = new ArrayList<>();
        List<Double> compute = new ArrayList<>();
        List<Double> encode = new ArrayList<>();
        List<Double> propagate = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        for (int i = 1; i < jpegs.size(); i++) { // frame 0 includes start-up work
            FrameLabels l = labels.get((long) i);
            lat.add(e2e.get((long) i));
            compute.add(l.getTimings().getComputeUs() / 1000.0);
            encode.add(l.getTimings().getEncodeUs() / 1000.0);
            propagate.add(l.getTimings().getPropagateUs() / 1000.0);
            overhead.add(e2e.get((long) i) - l.getTimings().getComputeUs() / 1000.0);
        }
        Percentiles pl = new Percentiles(lat);
        Percentiles pc = new Percentiles(compute);
        Percentiles po = new Percentiles(overhead);
        double secs = (loopEnd - loopStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                """
                demo: %d frames of %s (%s) tracked live through Kafka with model %s
                  throughput        %.1f frames/s (one frame in flight)
                  end to end        p50 %.1f ms   p95 %.1f ms   p99 %.1f ms   (capture -> labels received)
                  compute           p50 %.1f ms   (encode p50 %.1f ms, propagate p50 %.1f ms)
                  Kafka overhead    p50 %.1f ms   (end to end minus compute)
                  PCK@0.1 %.2f   PCK@0.2 %.2f   (vs the sample's ground truth, frame 0 excluded)
                  video             %s (%d frames: dots = tracked, rings = ground truth)
                  wall time         %.1f s
                """,
                jpegs.size(),
                clip.name(),
                jpegQuality > 0 ? "JPEG q" + jpegQuality : "lossless PNG",
                labels.get(1L).getModelVersion(),
                (jpegs.size()) / secs,
                pl.p(50),
                pl.p(95),
                pl.p(99),
                pc.p(50),
                new Percentiles(encode).p(50),
                new Percentiles(propagate).p(50),
                po.p(50),
                pck.mean(0.1),
                pck.mean(0.2),
                out,
                written,
                (System.nanoTime() - wallStart) / 1e9);
        deleteTree(work);
        return 0;
    }

    private Encoding encoding() {
        return jpegQuality > 0 ? Encoding.JPEG : Encoding.PNG;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new DemoCommand();
        }
    }
}
