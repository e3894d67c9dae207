package dev.cycletrack.core.datasets;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One BADJA-annotated frame mapped onto 480p DAVIS: its frame name (e.g. {@code 00002}), its index in
 * the sequence's 480p frames, the JPEG and mask paths, and the {@link BadjaDataset#JOINTS} in that
 * order as 480p (x, y) keypoints ({@link Keypoint#INVISIBLE} where not annotated).
 */
public record BadjaFrame(String frame, int index, Path image, Path mask, List<Keypoint> joints) {

    public BadjaFrame {
        joints = List.copyOf(joints);
        if (joints.size() != BadjaDataset.JOINTS.size()) {
            throw new IllegalArgumentException(
                    "expected " + BadjaDataset.JOINTS.size() + " joints, got " + joints.size());
        }
    }

    /** The keypoint of SMAL joint {@code smalIndex} (one of {@link BadjaDataset#JOINTS}). */
    public Keypoint joint(int smalIndex) {
        int i = BadjaDataset.JOINTS.indexOf(smalIndex);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "SMAL joint " + smalIndex + " is not one of the BADJA joints " + BadjaDataset.JOINTS);
        }
        return joints.get(i);
    }

    /** Silhouette area for PCK: non-zero pixels of the 480p annotation PNG (decoded on each call). */
    public int maskArea() throws IOException {
        return Images.readAnnotation(mask).nonZeroCount();
    }
}
