package dev.cycletrack.core.tracking;

import dev.cycletrack.core.codec.MaskCodec;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.tensor.LabelMap;

/** Object masks (id maps, 0 = background), through {@link MaskCodec}. */
public final class MaskTask implements LabelTask<IdMap> {

    @Override
    public Bound<IdMap> bind(IdMap labels0, FrameGeometry g) {
        if (labels0.width() != g.imageWidth() || labels0.height() != g.imageHeight()) {
            throw new IllegalArgumentException("first mask is " + labels0.width() + "x" + labels0.height()
                    + " but the frame is " + g.imageWidth() + "x" + g.imageHeight());
        }
        // One-hot at native resolution, resized straight to the grid (SPEC 2.3a).
        MaskCodec.Encoded encoded =
                MaskCodec.encode(labels0.ids(), labels0.width(), labels0.height(), g.gridHeight(), g.gridWidth());
        return new Bound<>() {
            @Override
            public LabelMap encodeFirst() {
                return encoded.labels();
            }

            @Override
            public IdMap decode(LabelMap soft) {
                int[] ids = MaskCodec.decode(
                        soft,
                        encoded.channelIds(),
                        g.processedWidth(),
                        g.processedHeight(),
                        g.imageWidth(),
                        g.imageHeight());
                return new IdMap(g.imageWidth(), g.imageHeight(), ids);
            }
        };
    }
}
