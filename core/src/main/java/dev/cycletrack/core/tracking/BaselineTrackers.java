package dev.cycletrack.core.tracking;

import dev.cycletrack.core.baselines.KeypointTracker;
import dev.cycletrack.core.baselines.MaskTracker;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import java.util.List;

/** Adapts the gray-image baselines (identity, LK, Farneback) to {@link VideoTracker}. */
public final class BaselineTrackers {

    private BaselineTrackers() {}

    public static VideoTracker<IdMap> masks(MaskTracker tracker) {
        return new VideoTracker<>() {
            @Override
            public IdMap start(RgbImage frame0, IdMap labels0) {
                tracker.init(Images.toGray(frame0), labels0);
                return labels0;
            }

            @Override
            public IdMap next(RgbImage frame) {
                return tracker.step(Images.toGray(frame));
            }

            @Override
            public void close() {
                tracker.close();
            }
        };
    }

    public static VideoTracker<List<Keypoint>> keypoints(KeypointTracker tracker) {
        return new VideoTracker<>() {
            @Override
            public List<Keypoint> start(RgbImage frame0, List<Keypoint> labels0) {
                tracker.init(Images.toGray(frame0), labels0);
                return labels0;
            }

            @Override
            public List<Keypoint> next(RgbImage frame) {
                return tracker.step(Images.toGray(frame));
            }

            @Override
            public void close() {
                tracker.close();
            }
        };
    }
}
