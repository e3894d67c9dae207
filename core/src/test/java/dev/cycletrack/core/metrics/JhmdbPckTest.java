package dev.cycletrack.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JhmdbPckTest {

    // Stored with 12 significant digits (per-frame sizes, per-joint values); means in full precision.
    private static final double STORED = 1e-8;
    private static final double EXACT = 1e-12;

    @Test
    void reproducesEvalPckScript() {
        JsonNode root = TestVectors.require("metrics-pck.json").get("jhmdb");
        int featRes = root.get("feat_res").asInt();
        int joints = root.get("num_joints").asInt();
        JhmdbPck pck = new JhmdbPck(joints);
        int v = 0;
        for (JsonNode video : root.get("videos")) {
            int width = video.get("image_width").asInt();
            int height = video.get("image_height").asInt();
            int frames = video.get("num_frames").asInt();
            double[] gtXy = TestVectors.doubles(video.get("gt_image_xy_0based"));
            float[] predGrid = TestVectors.floats(video.get("pred_grid_xy"));
            List<Keypoint[]> gt = new ArrayList<>();
            List<Keypoint[]> pred = new ArrayList<>();
            for (int k = 0; k < frames; k++) {
                Keypoint[] g = new Keypoint[joints];
                Keypoint[] p = new Keypoint[joints];
                for (int j = 0; j < joints; j++) {
                    int i = (k * joints + j) * 2;
                    g[j] = Keypoint.at(gtXy[i], gtXy[i + 1]);
                    p[j] = predGrid[i] >= 0
                            ? gridToImage(predGrid[i], predGrid[i + 1], featRes, width, height)
                            : Keypoint.INVISIBLE;
                }
                gt.add(g);
                pred.add(p);
            }
            double[] refSizes =
                    TestVectors.doubles(root.get("reference_size_per_frame").get(v));
            for (int k = 0; k < frames; k++) {
                assertEquals(
                        refSizes[k],
                        JhmdbPck.referenceSize(gt.get(k), pred.get(k)),
                        STORED,
                        "video " + v + " frame " + k);
            }
            pck.addVideo(gt, pred);
            v++;
        }
        for (String alpha : List.of("0.1", "0.2")) {
            JsonNode ref = root.get("pck").get(alpha);
            double a = Double.parseDouble(alpha);
            assertArrayEquals(TestVectors.doubles(ref.get("per_joint")), pck.perJoint(a), STORED, "PCK@" + alpha);
            assertEquals(ref.get("mean").asDouble(), pck.mean(a), EXACT, "PCK@" + alpha);
        }
        // Video 0 has two invisible predictions (joint 3 of frame 2, joint 7 of frame 4): 4 + 3 - 1 counted.
        assertEquals(7, pck.counted(0));
        assertEquals(6, pck.counted(3));
        assertEquals(6, pck.counted(7));
    }

    @Test
    void handComputedVideo() {
        // Two joints; frame 1's GT box is 10 x 0, so ref = 0.6 * 10 = 6. Joint 0 is off by 1.5, i.e.
        // dNorm exactly 0.25 (a hit at alpha 0.25: inclusive); joint 1 is off by 2.4 (dNorm 0.4).
        Keypoint[] gt0 = {Keypoint.at(0, 0), Keypoint.at(10, 0)};
        Keypoint[] gt1 = {Keypoint.at(0, 0), Keypoint.at(10, 0)};
        Keypoint[] pred1 = {Keypoint.at(1.5, 0), Keypoint.at(10, 2.4)};
        assertEquals(6.0, JhmdbPck.referenceSize(gt1, pred1));
        JhmdbPck pck = new JhmdbPck(2);
        // Frame 0 is skipped whatever it holds.
        pck.addVideo(List.of(gt0, gt1), List.of(new Keypoint[] {Keypoint.INVISIBLE, Keypoint.INVISIBLE}, pred1));
        assertArrayEquals(new double[] {100, 0}, pck.perJoint(0.25));
        assertEquals(50.0, pck.mean(0.25));
        assertEquals(100.0, pck.mean(0.5));
        assertEquals(0.0, pck.mean(0.2));
    }

    @Test
    void invisiblePredictionIsNotCountedAndShrinksTheBox() {
        Keypoint[] gt = {Keypoint.at(0, 0), Keypoint.at(10, 0), Keypoint.at(100, 100)};
        Keypoint[] pred = {Keypoint.at(0, 0), Keypoint.at(10, 0), Keypoint.INVISIBLE};
        assertEquals(6.0, JhmdbPck.referenceSize(gt, pred), 1e-15);
        JhmdbPck pck = new JhmdbPck(3);
        pck.addVideo(List.of(gt, gt), List.of(pred, pred));
        assertEquals(0, pck.counted(2));
        assertEquals(1, pck.counted(0));
        assertEquals(Double.NaN, pck.perJoint(0.1)[2]);
    }

    @Test
    void wrongJointCountIsRejected() {
        JhmdbPck pck = new JhmdbPck();
        Keypoint[] three = {Keypoint.at(0, 0), Keypoint.at(1, 1), Keypoint.at(2, 2)};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> pck.addVideo(List.<Keypoint[]>of(three), List.<Keypoint[]>of(three)));
        assertEquals("ground truth frame 0 has 3 joints, expected 15", e.getMessage());
    }

    /** The reference's grid-to-pixel mapping, in float32 as the script runs it: x / feat_res * width. */
    private static Keypoint gridToImage(float xg, float yg, int featRes, int width, int height) {
        float x = xg / featRes * width;
        float y = yg / featRes * height;
        return Keypoint.at(x, y);
    }
}
