package dev.cycletrack.stream;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Frames of the shipped J-HMDB sample as JPEG bytes, and LabelInits from its ground truth. */
public final class TestClips {

    /** Small input so tests are quick: 64x64 gives an 8x8 grid. */
    public static final String INPUT_SIZE = "square:64";

    private static List<byte[]> jpegs;
    private static JhmdbClip clip;

    private TestClips() {}

    public static synchronized JhmdbClip clip() throws IOException {
        if (clip == null) {
            Path dir = Samples.jhmdbCatch()
                    .orElseThrow(() -> new IllegalStateException("the shipped sample samples/" + Samples.JHMDB_CATCH
                            + " was not found above " + Path.of("").toAbsolutePath()));
            clip = JhmdbClip.open(dir);
        }
        return clip;
    }

    /** The first {@code n} frames of the sample as JPEG (quality 90), decoded once. */
    public static synchronized List<byte[]> jpegs(int n) throws IOException {
        if (jpegs == null || jpegs.size() < n) {
            List<byte[]> out = new ArrayList<>();
            try (FrameStream frames = clip().frames()) {
                while (frames.hasNext() && out.size() < n) {
                    RgbImage img = frames.next();
                    out.add(Images.encodeJpeg(img, 90));
                }
            }
            jpegs = out;
        }
        return jpegs.subList(0, n);
    }

    public static Frame frame(String stream, long seq, byte[] jpeg, int w, int h, long captureUs) {
        return Frame.newBuilder()
                .setStreamId(stream)
                .setSeq(seq)
                .setCaptureTimeUs(captureUs)
                .setWidth(w)
                .setHeight(h)
                .setEncoding(Encoding.JPEG)
                .setData(ByteString.copyFrom(jpeg))
                .build();
    }

    public static LabelInit keypointInit(String stream, long seq, List<Keypoint> points, int w, int h) {
        LabelInit.Builder b = LabelInit.newBuilder()
                .setStreamId(stream)
                .setSeq(seq)
                .setTask(Task.KEYPOINTS)
                .setPreset("pose")
                .setWidth(w)
                .setHeight(h)
                .setOverrides(PropagationOverrides.newBuilder().setInputSize(INPUT_SIZE));
        for (int j = 0; j < points.size(); j++) {
            Keypoint k = points.get(j);
            b.addKeypoints(InitKeypoint.newBuilder()
                    .setId(j)
                    .setName(j < JhmdbClip.JOINT_NAMES.size() ? JhmdbClip.JOINT_NAMES.get(j) : "k" + j)
                    .setX(k.x())
                    .setY(k.y())
                    .setVisible(k.visible()));
        }
        return b.build();
    }

    /** The keypoints a LabelInit holds, as the stream reads them (float coordinates). */
    public static List<Keypoint> asRead(LabelInit init) {
        List<Keypoint> out = new ArrayList<>();
        for (InitKeypoint k : init.getKeypointsList()) {
            out.add(k.getVisible() ? Keypoint.at(k.getX(), k.getY()) : Keypoint.INVISIBLE);
        }
        return out;
    }
}
