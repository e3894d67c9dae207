package dev.cycletrack.core.tracking;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.codec.KeypointCodec;
import dev.cycletrack.core.tensor.LabelMap;
import java.util.List;

/** Keypoints in image pixels, through {@link KeypointCodec}. */
public final class KeypointTask implements LabelTask<List<Keypoint>> {

    @Override
    public Bound<List<Keypoint>> bind(List<Keypoint> labels0, FrameGeometry g) {
        LabelMap first = KeypointCodec.encode(
                labels0,
                g.imageWidth(),
                g.imageHeight(),
                g.processedWidth(),
                g.processedHeight(),
                g.gridHeight(),
                g.gridWidth(),
                g.stride());
        return new Bound<>() {
            @Override
            public LabelMap encodeFirst() {
                return first;
            }

            @Override
            public List<Keypoint> decode(LabelMap soft) {
                return KeypointCodec.decode(soft, g.imageWidth(), g.imageHeight());
            }
        };
    }
}
