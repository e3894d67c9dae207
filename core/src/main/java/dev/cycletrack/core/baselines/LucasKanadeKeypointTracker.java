package dev.cycletrack.core.baselines;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowPyrLK;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.Images;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

/**
 * The {@code lk} keypoint baseline (BASELINES.md): pyramidal Lucas-Kanade from gray frame t-1 to
 * gray frame t with the reference settings, float32 points, continuing from the previous tracked
 * positions and never re-initialised. A point whose status is 0 keeps its previous position.
 */
public final class LucasKanadeKeypointTracker implements KeypointTracker {

    public static final int WINDOW = 21;
    public static final int MAX_LEVEL = 2;
    public static final int MAX_ITERATIONS = 30;
    public static final double EPSILON = 0.01;
    public static final int FLAGS = 0;
    public static final double MIN_EIG_THRESHOLD = 1e-4;

    private Mat previous;
    private int keypointCount;
    /** Which seed keypoint each tracked point is; invisible seeds are not tracked at all. */
    private int[] tracked;
    /** Tracked positions as float32 (x, y) pairs, the precision OpenCV works in. */
    private float[] xy;

    private int lostEvents;

    @Override
    public void init(GrayImage seedFrame, List<Keypoint> seedKeypoints) {
        close();
        keypointCount = seedKeypoints.size();
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < keypointCount; i++) {
            if (seedKeypoints.get(i).visible()) {
                visible.add(i);
            }
        }
        tracked = visible.stream().mapToInt(Integer::intValue).toArray();
        xy = new float[2 * tracked.length];
        for (int k = 0; k < tracked.length; k++) {
            Keypoint p = seedKeypoints.get(tracked[k]);
            xy[2 * k] = (float) p.x();
            xy[2 * k + 1] = (float) p.y();
        }
        lostEvents = 0;
        previous = Images.toMat(seedFrame);
    }

    @Override
    public List<Keypoint> step(GrayImage frame) {
        if (previous == null) {
            throw new IllegalStateException("init must be called before step");
        }
        if (frame.width() != previous.cols() || frame.height() != previous.rows()) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height()
                    + " but the previous frame was " + previous.cols() + "x" + previous.rows());
        }
        Mat next = Images.toMat(frame);
        if (tracked.length > 0) {
            track(next);
        }
        previous.close();
        previous = next;
        return positions();
    }

    /** How many times a point got status 0 (and so kept its previous position) since init. */
    public int lostEvents() {
        return lostEvents;
    }

    /** The current positions in seed order, exactly the float32 values tracked. */
    public List<Keypoint> positions() {
        Keypoint[] out = new Keypoint[keypointCount];
        Arrays.fill(out, Keypoint.INVISIBLE);
        for (int k = 0; k < tracked.length; k++) {
            out[tracked[k]] = Keypoint.at(xy[2 * k], xy[2 * k + 1]);
        }
        return List.of(out);
    }

    private void track(Mat next) {
        int n = tracked.length;
        try (Mat prevPts = new Mat(n, 1, CV_32FC2);
                Mat nextPts = new Mat();
                Mat status = new Mat();
                Mat err = new Mat();
                Size window = new Size(WINDOW, WINDOW);
                TermCriteria criteria =
                        new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, MAX_ITERATIONS, EPSILON)) {
            ((FloatBuffer) prevPts.createBuffer()).put(xy);
            calcOpticalFlowPyrLK(
                    previous,
                    next,
                    prevPts,
                    nextPts,
                    status,
                    err,
                    window,
                    MAX_LEVEL,
                    criteria,
                    FLAGS,
                    MIN_EIG_THRESHOLD);
            float[] moved = new float[2 * n];
            ((FloatBuffer) nextPts.createBuffer()).get(moved);
            byte[] ok = new byte[n];
            status.data().get(ok);
            for (int k = 0; k < n; k++) {
                if (ok[k] != 0) {
                    xy[2 * k] = moved[2 * k];
                    xy[2 * k + 1] = moved[2 * k + 1];
                } else {
                    lostEvents++;
                }
            }
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
    }
}
