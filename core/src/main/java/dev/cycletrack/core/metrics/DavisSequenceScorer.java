package dev.cycletrack.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores one sequence the way {@code DAVISEvaluation} does in the semi-supervised task (SPEC 4.1).
 * Feed every annotated frame in order with {@link #addFrame}, then call {@link #finish}.
 *
 * <ul>
 *   <li>Objects are ids 1..N, N = the largest id in frame 0's ground truth. Ground-truth 255 (void)
 *       counts as background; other ground-truth ids above N are ignored, as by the reference.
 *   <li>Only frames 1..count-2 are scored. A frame is scored when the next one arrives, so only one
 *       frame is held at a time and the first and last predictions are never looked at (they may be
 *       null).
 *   <li>A predicted id above N in a scored frame is an error; objects the prediction lacks are
 *       scored against an empty mask.
 * </ul>
 */
public final class DavisSequenceScorer {

    private static final int VOID = 255;

    private final String name;
    private final int width;
    private final int height;
    private final int boundPix;
    private final List<double[]> jPerFrame = new ArrayList<>();
    private final List<double[]> fPerFrame = new ArrayList<>();
    private int objects = -1;
    private int frames;
    private int[] pendingGt;
    private int[] pendingPred;
    private boolean finished;

    public DavisSequenceScorer(String name, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "sequence " + name + ": frame size must be positive, got " + width + "x" + height);
        }
        this.name = name;
        this.width = width;
        this.height = height;
        this.boundPix = DavisMetrics.boundaryRadius(width, height);
    }

    /**
     * Adds the next annotated frame: ground-truth and predicted id maps, row-major, width*height each.
     * The arrays are copied. {@code pred} may be null for frames that end up unscored (first, last).
     */
    public void addFrame(int[] gt, int[] pred) {
        if (finished) {
            throw new IllegalStateException("sequence " + name + " is already finished");
        }
        requireSize(gt, "ground truth");
        if (pred != null) {
            requireSize(pred, "prediction");
        }
        if (frames == 0) {
            objects = objectCount(gt);
        } else if (frames >= 2) {
            // The held frame is neither the first nor the last any more: score it.
            scorePending(frames - 1);
        }
        pendingGt = gt.clone();
        pendingPred = pred == null ? null : pred.clone();
        frames++;
    }

    /** Drops the last frame (never scored) and returns the per-object scores. */
    public DavisSequenceScore finish() {
        if (finished) {
            throw new IllegalStateException("sequence " + name + " is already finished");
        }
        if (frames < 3) {
            throw new IllegalStateException("sequence " + name + " has " + frames
                    + " annotated frames; semi-supervised scoring needs at least 3 (first and last are not scored)");
        }
        finished = true;
        pendingGt = null;
        pendingPred = null;
        int scored = jPerFrame.size();
        int[] scoredFrames = new int[scored];
        for (int k = 0; k < scored; k++) {
            scoredFrames[k] = k + 1;
        }
        List<DavisObjectScore> result = new ArrayList<>(objects);
        for (int o = 0; o < objects; o++) {
            double[] j = new double[scored];
            double[] f = new double[scored];
            for (int k = 0; k < scored; k++) {
                j[k] = jPerFrame.get(k)[o];
                f[k] = fPerFrame.get(k)[o];
            }
            result.add(DavisObjectScore.of(name, o + 1, j, f));
        }
        return new DavisSequenceScore(name, scoredFrames, result);
    }

    private void scorePending(int frame) {
        if (pendingPred == null) {
            throw new IllegalArgumentException(
                    "sequence " + name + " frame " + frame + " is scored but has no prediction");
        }
        for (int id : pendingPred) {
            if (id < 0 || id > objects) {
                throw new IllegalArgumentException("sequence " + name + " frame " + frame + ": predicted object id "
                        + id + " but the frame-0 ground truth has only " + objects + " objects (ids 1.." + objects
                        + ")");
            }
        }
        double[] j = new double[objects];
        double[] f = new double[objects];
        boolean[] gtMask = new boolean[pendingGt.length];
        boolean[] predMask = new boolean[pendingGt.length];
        for (int o = 1; o <= objects; o++) {
            for (int i = 0; i < gtMask.length; i++) {
                gtMask[i] = pendingGt[i] == o;
                predMask[i] = pendingPred[i] == o;
            }
            j[o - 1] = DavisMetrics.jaccard(gtMask, predMask);
            f[o - 1] = DavisMetrics.boundaryScore(gtMask, predMask, width, height, boundPix)
                    .f();
        }
        jPerFrame.add(j);
        fPerFrame.add(f);
    }

    private int objectCount(int[] gt) {
        int max = 0;
        for (int id : gt) {
            if (id < 0) {
                throw new IllegalArgumentException("sequence " + name + " frame 0: negative ground-truth id " + id);
            }
            if (id != VOID) {
                max = Math.max(max, id);
            }
        }
        return max;
    }

    private void requireSize(int[] ids, String what) {
        if (ids == null) {
            throw new IllegalArgumentException("sequence " + name + " frame " + frames + ": " + what + " is null");
        }
        if (ids.length != (long) width * height) {
            throw new IllegalArgumentException("sequence " + name + " frame " + frames + ": " + what + " has "
                    + ids.length + " pixels, expected " + width + "x" + height + " = " + (long) width * height);
        }
    }
}
