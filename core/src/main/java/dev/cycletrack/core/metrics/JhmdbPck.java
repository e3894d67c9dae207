package dev.cycletrack.core.metrics;

import dev.cycletrack.core.codec.Keypoint;
import java.util.ArrayList;
import java.util.List;

/**
 * J-HMDB PCK as the CRW/UVC {@code eval/eval_pck.py} (SPEC 4.2). Add videos with {@link #addVideo};
 * results pool all of them.
 *
 * <ul>
 *   <li>Frame 0 of every video is skipped.
 *   <li>A joint counts in a frame iff its <b>prediction</b> is visible (not the (-1, -1) marker:
 *       {@code visible} and x >= 0). Ground-truth visibility is not consulted, as in the reference.
 *   <li>Reference size of a frame = 0.6 x the diagonal of the bounding box of that frame's ground-truth
 *       joints, over the counted joints.
 *   <li>Correct iff distance / reference size <= alpha (inclusive). Per-joint PCK = 100 * correct /
 *       counted over all frames of all videos; the reported PCK is the unweighted mean over joints.
 * </ul>
 */
public final class JhmdbPck {

    /** The reference script hard-codes 15 joints. */
    public static final int JHMDB_JOINTS = 15;

    private static final double REFERENCE_SCALE = 0.6;

    private final int joints;
    private final List<List<Double>> normalisedDistances = new ArrayList<>();

    public JhmdbPck() {
        this(JHMDB_JOINTS);
    }

    public JhmdbPck(int joints) {
        if (joints <= 0) {
            throw new IllegalArgumentException("number of joints must be positive, got " + joints);
        }
        this.joints = joints;
        for (int j = 0; j < joints; j++) {
            normalisedDistances.add(new ArrayList<>());
        }
    }

    /** Whether the reference counts this predicted joint. */
    public static boolean counted(Keypoint pred) {
        return pred.visible() && pred.x() >= 0;
    }

    /**
     * 0.6 x the diagonal of the bounding box of the ground-truth joints whose prediction is counted;
     * NaN when none is.
     */
    public static double referenceSize(Keypoint[] gt, Keypoint[] pred) {
        requireSameLength(gt, pred, "frame");
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int j = 0; j < gt.length; j++) {
            if (counted(pred[j])) {
                any = true;
                minX = Math.min(minX, gt[j].x());
                minY = Math.min(minY, gt[j].y());
                maxX = Math.max(maxX, gt[j].x());
                maxY = Math.max(maxY, gt[j].y());
            }
        }
        double dx = maxX - minX;
        double dy = maxY - minY;
        // sqrt of the sum of squares, as np.linalg.norm.
        return any ? REFERENCE_SCALE * Math.sqrt(dx * dx + dy * dy) : Double.NaN;
    }

    /**
     * Adds one video: per frame (index 0 = the seed frame, skipped) the ground-truth and predicted
     * joints in image pixels.
     */
    public void addVideo(List<Keypoint[]> gt, List<Keypoint[]> pred) {
        if (gt.size() != pred.size()) {
            throw new IllegalArgumentException(
                    "ground truth has " + gt.size() + " frames but the prediction has " + pred.size());
        }
        for (int k = 0; k < gt.size(); k++) {
            requireJoints(gt.get(k), "ground truth", k);
            requireJoints(pred.get(k), "prediction", k);
        }
        for (int k = 1; k < gt.size(); k++) {
            Keypoint[] g = gt.get(k);
            Keypoint[] p = pred.get(k);
            double ref = referenceSize(g, p);
            for (int j = 0; j < joints; j++) {
                if (counted(p[j])) {
                    // ref = 0 gives Inf or NaN, never a hit, as numpy does.
                    normalisedDistances.get(j).add(p[j].distanceTo(g[j]) / ref);
                }
            }
        }
    }

    /** Number of (frame, video) pairs counted for a joint. */
    public int counted(int joint) {
        return normalisedDistances.get(joint).size();
    }

    /** Per-joint PCK in percent; NaN for a joint never counted. */
    public double[] perJoint(double alpha) {
        double[] out = new double[joints];
        for (int j = 0; j < joints; j++) {
            List<Double> d = normalisedDistances.get(j);
            int hits = 0;
            for (double v : d) {
                if (PckThreshold.INCLUSIVE.hit(v, alpha)) {
                    hits++;
                }
            }
            out[j] = d.isEmpty() ? Double.NaN : 100.0 * hits / d.size();
        }
        return out;
    }

    /** The reported PCK@alpha: unweighted mean of {@link #perJoint}, in percent. */
    public double mean(double alpha) {
        double sum = 0;
        for (double v : perJoint(alpha)) {
            sum += v;
        }
        return sum / joints;
    }

    private void requireJoints(Keypoint[] frame, String what, int k) {
        if (frame == null || frame.length != joints) {
            throw new IllegalArgumentException(what + " frame " + k + " has "
                    + (frame == null ? "no joints (null)" : frame.length + " joints") + ", expected " + joints);
        }
    }

    private static void requireSameLength(Keypoint[] gt, Keypoint[] pred, String what) {
        if (gt.length != pred.length) {
            throw new IllegalArgumentException(
                    what + ": ground truth has " + gt.length + " joints but the prediction has " + pred.length);
        }
    }
}
