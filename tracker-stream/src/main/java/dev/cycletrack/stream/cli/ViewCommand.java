package dev.cycletrack.stream.cli;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.eval.OverlayWriter;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.stream.LabelsReader;
import dev.cycletrack.stream.processor.MaskPng;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack view}: renders a stream's frames with their labels into an MP4. */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description = {
            "Renders a stream's frames with their labels into an MP4.",
            "Reads a stream's frames and labels from Kafka (from the beginning) and writes an MP4 with the",
            "keypoints drawn as dots or the masks tinted in. Stops when no new record came for --idle-exit-s."
        })
public final class ViewCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--stream", required = true, description = "Stream id.")
    String stream;

    @Option(names = "--out", required = true, description = "MP4 file to write.")
    Path out;

    @Option(names = "--fps", defaultValue = "25", description = "Frame rate of the video (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--idle-exit-s", defaultValue = "3", description = "Stop after this long without records.")
    long idleExitS;

    @Override
    public Integer call() throws IOException {
        Map<Long, Frame> frames = new TreeMap<>();
        Map<Long, FrameLabels> labels = new TreeMap<>();
        try (LabelsReader<String, Frame> fr =
                        new LabelsReader<>(common.bootstrap, common.topics().frames(), true);
                LabelsReader<FrameKey, FrameLabels> lr =
                        new LabelsReader<>(common.bootstrap, common.topics().labels(), true)) {
            long last = System.nanoTime();
            while (System.nanoTime() - last < idleExitS * 1_000_000_000L) {
                boolean any = false;
                for (var r : fr.poll(Duration.ofMillis(100))) {
                    if (r.value() != null && stream.equals(r.value().getStreamId())) {
                        frames.put(r.value().getSeq(), r.value());
                        any = true;
                    }
                }
                for (var r : lr.poll(Duration.ofMillis(100))) {
                    if (r.value() != null && stream.equals(r.value().getStreamId())) {
                        labels.put(r.value().getSeq(), r.value());
                        any = true;
                    }
                }
                if (any) {
                    last = System.nanoTime();
                }
            }
        }
        int n = render(frames, labels, null, out, fps);
        System.err.println("wrote " + out + " (" + n + " labelled frames of stream " + stream + ")");
        return 0;
    }

    /** Writes every frame that has labels, in seq order; ground truth (by seq) drawn as rings if given. */
    static int render(
            Map<Long, Frame> frames,
            Map<Long, FrameLabels> labels,
            Map<Long, List<Keypoint>> truth,
            Path out,
            double fps)
            throws IOException {
        OverlayWriter writer = null;
        int n = 0;
        try {
            for (var e : labels.entrySet()) {
                Frame f = frames.get(e.getKey());
                FrameLabels l = e.getValue();
                if (f == null || l.getStatus() != LabelStatus.LABELLED) {
                    continue;
                }
                RgbImage img = f.getEncoding() == dev.cycletrack.schemas.v1.Encoding.RAW_RGB
                        ? new RgbImage(f.getWidth(), f.getHeight(), f.getData().toByteArray())
                        : Images.decode(f.getData().toByteArray());
                if (writer == null) {
                    writer = new OverlayWriter(out, img.width(), img.height(), fps);
                }
                if (l.hasMask()) {
                    writer.writeMask(img, MaskPng.decode(l.getMask().getPng().toByteArray()));
                } else {
                    writer.writeKeypoints(img, keypoints(l), truth == null ? null : truth.get(e.getKey()));
                }
                n++;
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        return n;
    }

    static List<Keypoint> keypoints(FrameLabels l) {
        List<Keypoint> out = new ArrayList<>();
        for (OutKeypoint k : l.getKeypointsList()) {
            out.add(k.getVisible() ? Keypoint.at(k.getX(), k.getY()) : Keypoint.INVISIBLE);
        }
        return out;
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new ViewCommand();
        }
    }
}
