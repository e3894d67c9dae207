package dev.cycletrack.it.support;

import dev.cycletrack.core.SharedData;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.datasets.DavisSequence;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Real clips: the shipped J-HMDB sample (always there) and DAVIS sequences from ../shared (when present). */
public final class Clips {

    private static JhmdbClip sample;
    private static List<RgbImage> sampleFrames;

    private Clips() {}

    public static synchronized JhmdbClip sample() throws IOException {
        if (sample == null) {
            Path dir = Samples.jhmdbCatch()
                    .orElseThrow(() -> new IllegalStateException("the shipped sample samples/" + Samples.JHMDB_CATCH
                            + " was not found above " + Path.of("").toAbsolutePath()));
            sample = JhmdbClip.open(dir);
        }
        return sample;
    }

    /** The sample's video file (what ingest --source reads). */
    public static Path sampleVideo() throws IOException {
        Path dir = Samples.jhmdbCatch().orElseThrow();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".avi"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no .avi in " + dir));
        }
    }

    public static Path sampleJoints() {
        return Samples.jhmdbCatch().orElseThrow().resolve(JhmdbClip.ANNOTATION_FILE);
    }

    /** Every frame of the sample, decoded once. */
    public static synchronized List<RgbImage> sampleFrames() throws IOException {
        if (sampleFrames == null) {
            List<RgbImage> out = new ArrayList<>();
            try (FrameStream frames = sample().frames()) {
                while (frames.hasNext()) {
                    out.add(frames.next());
                }
            }
            sampleFrames = List.copyOf(out);
        }
        return sampleFrames;
    }

    /** Frame {@code i} of the sample as JPEG (quality 90, as ingest sends it); the clip loops. */
    public static byte[] sampleJpeg(int i) throws IOException {
        List<RgbImage> f = sampleFrames();
        return Images.encodeJpeg(f.get(Math.floorMod(i, f.size())), 90);
    }

    public static List<byte[]> sampleJpegs(int from, int n) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sampleJpeg(from + i));
        }
        return out;
    }

    /** A keypoint LabelInit from the sample's ground truth at frame {@code t} (joints outside the image: invisible). */
    public static LabelInit sampleInit(String stream, long seq, int t) throws IOException {
        JhmdbClip c = sample();
        return keypointInit(stream, seq, c.joints(Math.floorMod(t, c.frameCount())), c.width(), c.height());
    }

    public static LabelInit keypointInit(String stream, long seq, List<Keypoint> joints, int w, int h) {
        LabelInit.Builder b = LabelInit.newBuilder()
                .setStreamId(stream)
                .setSeq(seq)
                .setTask(Task.KEYPOINTS)
                .setPreset("pose")
                .setWidth(w)
                .setHeight(h);
        for (int j = 0; j < joints.size(); j++) {
            Keypoint k = joints.get(j);
            boolean inside = k.visible() && k.x() >= 0 && k.y() >= 0 && k.x() < w && k.y() < h;
            b.addKeypoints(InitKeypoint.newBuilder()
                    .setId(j)
                    .setName(j < JhmdbClip.JOINT_NAMES.size() ? JhmdbClip.JOINT_NAMES.get(j) : "k" + j)
                    .setX(inside ? k.x() : -1)
                    .setY(inside ? k.y() : -1)
                    .setVisible(inside));
        }
        return b.build();
    }

    /** A DAVIS 2016 sequence from ../shared/data/davis2016, if the shared data is there. */
    public static Optional<DavisSequence> davis(String name) {
        Optional<Path> root = SharedData.data().map(d -> d.resolve("davis2016")).filter(Files::isDirectory);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        try {
            DavisDataset ds = DavisDataset.open(root.get());
            return ds.sequences().contains(name) ? Optional.of(ds.sequence(name)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
