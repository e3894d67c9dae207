package dev.cycletrack.stream.processor;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.propagation.PropagationContext;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.tracking.FrameGeometry;
import dev.cycletrack.core.tracking.KeypointTask;
import dev.cycletrack.core.tracking.LabelTask;
import dev.cycletrack.core.tracking.MaskTask;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.MaskLabels;
import dev.cycletrack.schemas.v1.ObjectArea;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.schemas.v1.Task;
import java.util.List;
import java.util.TreeMap;

/**
 * The in-memory half of a stream's state: the propagation context (with its feature tensors), the
 * codec bound to the stream's first labels and its geometry, and the model version whose features the
 * context holds. Derived entirely from the stored state plus the encoder, so it can be dropped and
 * rebuilt at any time.
 */
final class LiveStream {

    final String streamId;
    final long initSeq;
    final LabelInit init;
    final PropagationSettings settings;
    final FrameGeometry geometry;
    private final LabelTask.Bound<List<Keypoint>> keypoints;
    private final LabelTask.Bound<IdMap> mask;
    PropagationContext context;
    String modelVersion;

    LiveStream(LabelInit init, PropagationSettings settings, FrameGeometry geometry) {
        this.streamId = init.getStreamId();
        this.initSeq = init.getSeq();
        this.init = init;
        this.settings = settings;
        this.geometry = geometry;
        if (init.getTask() == Task.MASK) {
            this.mask = new MaskTask().bind(StreamSetup.mask(init), geometry);
            this.keypoints = null;
        } else {
            this.keypoints = new KeypointTask().bind(StreamSetup.keypoints(init), geometry);
            this.mask = null;
        }
    }

    LabelMap encodeFirst() {
        return mask != null ? mask.encodeFirst() : keypoints.encodeFirst();
    }

    /** Decodes soft labels into the output record's keypoints or mask. */
    void decodeInto(LabelMap soft, FrameLabels.Builder out) {
        if (mask != null) {
            IdMap ids = mask.decode(soft);
            TreeMap<Integer, Long> areas = new TreeMap<>();
            for (int v : ids.ids()) {
                if (v != 0) {
                    areas.merge(v, 1L, Long::sum);
                }
            }
            MaskLabels.Builder m = MaskLabels.newBuilder()
                    .setWidth(ids.width())
                    .setHeight(ids.height())
                    .setPng(ByteString.copyFrom(MaskPng.encode(ids)));
            areas.forEach(
                    (id, n) -> m.addAreas(ObjectArea.newBuilder().setId(id).setPixels(n)));
            out.setMask(m);
            return;
        }
        List<Keypoint> points = keypoints.decode(soft);
        List<InitKeypoint> named = init.getKeypointsList();
        for (int j = 0; j < points.size(); j++) {
            Keypoint k = points.get(j);
            float confidence = 0;
            float[] d = soft.data();
            int c = soft.channels();
            for (int n = 0; n < soft.nodes(); n++) {
                confidence = Math.max(confidence, d[n * c + j + 1]);
            }
            out.addKeypoints(OutKeypoint.newBuilder()
                    .setId(named.get(j).getId())
                    .setX((float) k.x())
                    .setY((float) k.y())
                    .setConfidence(confidence)
                    .setVisible(k.visible()));
        }
    }

    long byteSize() {
        return context == null ? 0 : context.byteSize();
    }
}
