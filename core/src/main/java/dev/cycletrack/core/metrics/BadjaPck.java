package dev.cycletrack.core.metrics;

import dev.cycletrack.core.codec.Keypoint;
import java.util.ArrayList;
import java.util.List;

/**
 * BADJA PCK of one sequence (SPEC 4.3, BASELINES.md): a joint is correct iff its pixel distance /
 * sqrt(ground-truth mask area of that frame) is below alpha, compared as {@link PckThreshold} says
 * (the dev numbers use INCLUSIVE; WLDO/PIPs code is STRICT). Add only the frames to score (the caller
 * leaves out the seed frame). A joint is scored iff the ground truth marks it visible and a
 * prediction exists ({@code visible}), since a joint unseen in the seed frame is never tracked.
 */
public final class BadjaPck {

    private final PckThreshold threshold;
    private final List<double[]> frames = new ArrayList<>();

    public BadjaPck(PckThreshold threshold) {
        this.threshold = threshold;
    }

    public PckThreshold threshold() {
        return threshold;
    }

    /** Adds one scored frame; the mask is the frame's ground-truth silhouette, row-major. */
    public void addFrame(Keypoint[] gt, Keypoint[] pred, boolean[] gtMask) {
        addFrame(gt, pred, DavisMetrics.count(gtMask));
    }

    /** Adds one scored frame with the pixel count of its ground-truth silhouette. */
    public void addFrame(Keypoint[] gt, Keypoint[] pred, long gtMaskArea) {
        int frame = frames.size();
        if (gt.length != pred.length) {
            throw new IllegalArgumentException("frame " + frame + ": ground truth has " + gt.length
                    + " joints but the prediction has " + pred.length);
        }
        List<Double> distances = new ArrayList<>();
        for (int j = 0; j < gt.length; j++) {
            if (gt[j].visible() && pred[j].visible()) {
                distances.add(pred[j].distanceTo(gt[j]));
            }
        }
        if (gtMaskArea < 0 || (gtMaskArea == 0 && !distances.isEmpty())) {
            throw new IllegalArgumentException("frame " + frame + ": ground-truth mask area " + gtMaskArea
                    + " cannot normalise " + distances.size() + " visible joints");
        }
        double scale = Math.sqrt(gtMaskArea);
        double[] normalised = new double[distances.size()];
        for (int i = 0; i < normalised.length; i++) {
            normalised[i] = distances.get(i) / scale;
        }
        frames.add(normalised);
    }

    /** Number of scored (frame, joint) pairs. */
    public int scored() {
        int n = 0;
        for (double[] f : frames) {
            n += f.length;
        }
        return n;
    }

    public int correct(double alpha) {
        int n = 0;
        for (double[] f : frames) {
            n += hits(f, alpha);
        }
        return n;
    }

    /** PCK pooled over all scored (frame, joint) pairs, a fraction in [0, 1]; NaN if none. */
    public double pooled(double alpha) {
        int scored = scored();
        return scored == 0 ? Double.NaN : (double) correct(alpha) / scored;
    }

    /** Per added frame: correct / scored joints of that frame; NaN for a frame with none. */
    public double[] perFrame(double alpha) {
        double[] out = new double[frames.size()];
        for (int k = 0; k < out.length; k++) {
            double[] f = frames.get(k);
            out[k] = f.length == 0 ? Double.NaN : (double) hits(f, alpha) / f.length;
        }
        return out;
    }

    /** Mean of the per-frame values over frames with at least one scored joint; NaN if none. */
    public double meanOverFrames(double alpha) {
        return DavisStatistics.nanMean(perFrame(alpha), 0, frames.size());
    }

    private int hits(double[] normalised, double alpha) {
        int n = 0;
        for (double d : normalised) {
            if (threshold.hit(d, alpha)) {
                n++;
            }
        }
        return n;
    }
}
