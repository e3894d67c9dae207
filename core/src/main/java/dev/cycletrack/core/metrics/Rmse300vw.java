package dev.cycletrack.core.metrics;

import dev.cycletrack.core.codec.Keypoint;
import java.util.ArrayList;
import java.util.List;

/**
 * 300VW landmark error (SPEC 4.4, unverified there): per frame the mean over the 68 points of
 * ||pred - gt|| / inter-ocular distance, where the inter-ocular distance is between the ground-truth
 * outer eye corners (0-based landmarks 36 and 45). Frame 0 of every video is skipped. Despite the
 * customary name this is a mean Euclidean error, not a root-mean-square. Prediction coordinates are
 * used as given, whatever their visibility flag.
 */
public final class Rmse300vw {

    public static final int POINTS = 68;
    public static final int LEFT_EYE_OUTER = 36;
    public static final int RIGHT_EYE_OUTER = 45;

    private final List<double[]> videoFrameErrors = new ArrayList<>();

    /** The normalised error of one frame, as a fraction (not x100). */
    public static double frameError(Keypoint[] gt, Keypoint[] pred) {
        if (gt.length != POINTS || pred.length != POINTS) {
            throw new IllegalArgumentException("300VW frames need " + POINTS + " landmarks, got " + gt.length
                    + " (ground truth) and " + pred.length + " (prediction)");
        }
        double interOcular = gt[LEFT_EYE_OUTER].distanceTo(gt[RIGHT_EYE_OUTER]);
        if (!(interOcular > 0)) {
            throw new IllegalArgumentException(
                    "inter-ocular distance is " + interOcular + ": ground-truth landmarks 36 and 45 coincide");
        }
        double sum = 0;
        for (int i = 0; i < POINTS; i++) {
            sum += pred[i].distanceTo(gt[i]);
        }
        return sum / POINTS / interOcular;
    }

    /** Adds one video (frame 0, the seed, is skipped). */
    public void addVideo(List<Keypoint[]> gt, List<Keypoint[]> pred) {
        if (gt.size() != pred.size()) {
            throw new IllegalArgumentException(
                    "ground truth has " + gt.size() + " frames but the prediction has " + pred.size());
        }
        if (gt.size() < 2) {
            throw new IllegalArgumentException(
                    "a video needs at least 2 frames (frame 0 is not scored), got " + gt.size());
        }
        double[] errors = new double[gt.size() - 1];
        for (int k = 1; k < gt.size(); k++) {
            errors[k - 1] = frameError(gt.get(k), pred.get(k));
        }
        videoFrameErrors.add(errors);
    }

    /** Mean over all scored frames of all videos, x100. */
    public double mean() {
        double sum = 0;
        int n = 0;
        for (double[] v : videoFrameErrors) {
            for (double e : v) {
                sum += e;
                n++;
            }
        }
        requireVideos();
        return 100 * sum / n;
    }

    /** Mean over videos of each video's mean frame error, x100 (the other reading of the spec). */
    public double meanOfVideoMeans() {
        requireVideos();
        double sum = 0;
        for (double[] v : videoFrameErrors) {
            sum += DavisStatistics.nanMean(v, 0, v.length);
        }
        return 100 * sum / videoFrameErrors.size();
    }

    public int videos() {
        return videoFrameErrors.size();
    }

    private void requireVideos() {
        if (videoFrameErrors.isEmpty()) {
            throw new IllegalStateException("no videos added");
        }
    }
}
