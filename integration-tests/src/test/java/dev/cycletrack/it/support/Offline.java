package dev.cycletrack.it.support;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.tracking.KeypointTask;
import dev.cycletrack.core.tracking.MaskTask;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.core.tracking.PropagationTracker;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.processor.MaskPng;
import dev.cycletrack.stream.processor.StreamSetup;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline reference: core's {@link PropagationTracker} (what {@code eval} runs) over the same frame
 * bytes, with the settings the tracker derives from the LabelInit, one frame after another.
 */
public final class Offline {

    private Offline() {}

    /** Expected labels by seq: a {@code List<Keypoint>} or an {@link IdMap} per frame. */
    public static Map<Long, Object> propagate(Encoder encoder, LabelInit init, List<Frame> frames, InputSize override)
            throws IOException {
        PropagationSettings s = StreamSetup.settings(init, override);
        Map<Long, Object> out = new TreeMap<>();
        if (init.getTask() == Task.MASK) {
            try (PropagationTracker<IdMap> t = new PropagationTracker<>(encoder, s, new MaskTask())) {
                out.put(frames.get(0).getSeq(), t.start(decode(frames.get(0)), StreamSetup.mask(init)));
                for (Frame f : frames.subList(1, frames.size())) {
                    out.put(f.getSeq(), t.next(decode(f)));
                }
            }
        } else {
            try (PropagationTracker<List<Keypoint>> t = new PropagationTracker<>(encoder, s, new KeypointTask())) {
                out.put(frames.get(0).getSeq(), t.start(decode(frames.get(0)), StreamSetup.keypoints(init)));
                for (Frame f : frames.subList(1, frames.size())) {
                    out.put(f.getSeq(), t.next(decode(f)));
                }
            }
        }
        return out;
    }

    private static dev.cycletrack.core.image.RgbImage decode(Frame f) throws IOException {
        return Images.decode(f.getData().toByteArray());
    }

    /** Null when the live labels equal the expected ones exactly (float for float, pixel for pixel), else why not. */
    public static String difference(FrameLabels live, Object expected) throws IOException {
        if (live.getStatus() != LabelStatus.LABELLED) {
            return "frame " + live.getSeq() + " is " + live.getStatus();
        }
        if (expected instanceof IdMap mask) {
            IdMap got = MaskPng.decode(live.getMask().getPng().toByteArray());
            if (got.width() != mask.width() || got.height() != mask.height() || !Arrays.equals(got.ids(), mask.ids())) {
                int diff = 0;
                for (int i = 0; i < Math.min(got.ids().length, mask.ids().length); i++) {
                    diff += got.ids()[i] != mask.ids()[i] ? 1 : 0;
                }
                return "frame " + live.getSeq() + ": mask differs in " + diff + " pixels";
            }
            return null;
        }
        @SuppressWarnings("unchecked")
        List<Keypoint> kps = (List<Keypoint>) expected;
        if (live.getKeypointsCount() != kps.size()) {
            return "frame " + live.getSeq() + ": " + live.getKeypointsCount() + " keypoints, expected " + kps.size();
        }
        for (int j = 0; j < kps.size(); j++) {
            Keypoint e = kps.get(j);
            OutKeypoint a = live.getKeypoints(j);
            if (a.getX() != (float) e.x() || a.getY() != (float) e.y() || a.getVisible() != e.visible()) {
                return "frame " + live.getSeq() + " joint " + j + ": live (" + a.getX() + ", " + a.getY() + ", "
                        + a.getVisible() + ") offline (" + (float) e.x() + ", " + (float) e.y() + ", " + e.visible()
                        + ")";
            }
        }
        return null;
    }

    /** A label record without what differs between two computations of the same frame (emit time, timings). */
    public static FrameLabels content(FrameLabels l) {
        return l.toBuilder().clearEmitTimeUs().clearTimings().build();
    }
}
