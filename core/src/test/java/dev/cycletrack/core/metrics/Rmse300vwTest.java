package dev.cycletrack.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cycletrack.core.codec.Keypoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rmse300vwTest {

    @Test
    void handComputedError() {
        // Outer eye corners 36 and 45 are 50 px apart. Frame 1: every point off by (3, 4) = 5 px ->
        // 5 / 50 = 0.1. Frame 2: only point 0 off by 68 px -> 68 / 68 / 50 = 0.02. Frame 0 (off by
        // 100 px everywhere) is the seed and is not scored.
        Keypoint[] gt = face();
        List<Keypoint[]> gts = List.of(gt, gt, gt);
        List<Keypoint[]> preds = List.of(shift(gt, 100, 0), shift(gt, 3, 4), movePoint0(gt, 68));
        assertEquals(0.1, Rmse300vw.frameError(gt, shift(gt, 3, 4)), 1e-15);

        Rmse300vw metric = new Rmse300vw();
        metric.addVideo(gts, preds);
        assertEquals(100 * (0.1 + 0.02) / 2, metric.mean(), 1e-12);

        // A second, perfect video of 2 frames: pooled over frames (2 + 1) vs mean of video means.
        metric.addVideo(List.of(gt, gt), List.of(gt, gt));
        assertEquals(100 * (0.1 + 0.02 + 0) / 3, metric.mean(), 1e-12);
        assertEquals(100 * ((0.1 + 0.02) / 2 + 0) / 2, metric.meanOfVideoMeans(), 1e-12);
    }

    @Test
    void badInputsAreRejected() {
        Keypoint[] gt = face();
        Keypoint[] few = new Keypoint[5];
        IllegalArgumentException count =
                assertThrows(IllegalArgumentException.class, () -> Rmse300vw.frameError(gt, few));
        assertEquals("300VW frames need 68 landmarks, got 68 (ground truth) and 5 (prediction)", count.getMessage());
        Keypoint[] closedEyes = face();
        closedEyes[45] = closedEyes[36];
        assertThrows(IllegalArgumentException.class, () -> Rmse300vw.frameError(closedEyes, closedEyes));
        assertThrows(IllegalStateException.class, () -> new Rmse300vw().mean());
    }

    private static Keypoint[] face() {
        Keypoint[] p = new Keypoint[Rmse300vw.POINTS];
        for (int i = 0; i < p.length; i++) {
            p[i] = Keypoint.at(100 + i, 200 + (i % 7));
        }
        p[36] = Keypoint.at(100, 150);
        p[45] = Keypoint.at(150, 150);
        return p;
    }

    private static Keypoint[] shift(Keypoint[] pts, double dx, double dy) {
        Keypoint[] out = new Keypoint[pts.length];
        for (int i = 0; i < pts.length; i++) {
            out[i] = Keypoint.at(pts[i].x() + dx, pts[i].y() + dy);
        }
        return out;
    }

    private static Keypoint[] movePoint0(Keypoint[] pts, double dx) {
        Keypoint[] out = pts.clone();
        out[0] = Keypoint.at(pts[0].x() + dx, pts[0].y());
        return out;
    }
}
