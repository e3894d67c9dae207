package dev.cycletrack.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadjaPckTest {

    // The reference computed in float32: per-frame values and means carry float32 rounding.
    private static final double FLOAT32 = 1e-7;

    @Test
    void reproducesWldoStrictThreshold() {
        JsonNode root = TestVectors.require("metrics-pck.json").get("badja");
        BadjaPck pck = load(root, PckThreshold.STRICT);
        assertEquals(22, pck.scored());
        for (String alpha : List.of("0.1", "0.2")) {
            JsonNode ref = root.get("pck").get(alpha);
            double a = Double.parseDouble(alpha);
            assertArrayEquals(TestVectors.doubles(ref.get("per_frame")), pck.perFrame(a), FLOAT32, "PCK@" + alpha);
            assertEquals(ref.get("pooled").asDouble(), pck.pooled(a), FLOAT32, "PCK@" + alpha);
            assertEquals(ref.get("mean_over_frames").asDouble(), pck.meanOverFrames(a), FLOAT32, "PCK@" + alpha);
        }
    }

    @Test
    void exactThresholdProbeDependsOnTheComparison() {
        JsonNode root = TestVectors.require("metrics-pck.json").get("badja");
        // Frame 3, joint 0 sits at distance exactly 20 = 0.2 * sqrt(10000).
        assertEquals(10000, root.get("gt_mask_area").get(3).asInt());
        BadjaPck strict = load(root, PckThreshold.STRICT);
        BadjaPck inclusive = load(root, PckThreshold.INCLUSIVE);
        JsonNode ref = root.get("pck").get("0.2");
        assertEquals(ref.get("per_frame").get(3).asDouble(), 5.0 / 6, FLOAT32);
        assertEquals(5.0 / 6, strict.perFrame(0.2)[3], 1e-15);
        assertEquals(1.0, inclusive.perFrame(0.2)[3]);
        assertEquals(strict.correct(0.2) + 1, inclusive.correct(0.2));
        // Nothing else sits on a threshold: both rules agree at alpha 0.1.
        assertEquals(strict.correct(0.1), inclusive.correct(0.1));
        assertEquals(21.0 / 22, inclusive.pooled(0.2), 1e-15);
    }

    @Test
    void maskAreasMatchTheStoredCounts() {
        JsonNode root = TestVectors.require("metrics-pck.json").get("badja");
        for (int k = 0; k < root.get("num_frames").asInt(); k++) {
            boolean[] mask = TestVectors.rle(root.get("gt_masks_rle").get(k));
            assertEquals(root.get("gt_mask_area").get(k).asInt(), DavisMetrics.count(mask), "frame " + k);
        }
    }

    @Test
    void handComputedSequences() {
        // Area 100 -> sqrt 10; alpha 0.2 -> 2 px.
        Keypoint[] gt = {Keypoint.at(0, 0), Keypoint.at(5, 5), new Keypoint(9, 9, false)};
        Keypoint[] pred = {Keypoint.at(2, 0), Keypoint.at(5, 8), Keypoint.at(50, 50)};
        BadjaPck inclusive = new BadjaPck(PckThreshold.INCLUSIVE);
        inclusive.addFrame(gt, pred, 100);
        inclusive.addFrame(gt, gt, 100);
        assertArrayEquals(new double[] {0.5, 1.0}, inclusive.perFrame(0.2));
        assertEquals(4, inclusive.scored());
        assertEquals(0.75, inclusive.pooled(0.2));
        assertEquals(0.75, inclusive.meanOverFrames(0.2));

        BadjaPck strict = new BadjaPck(PckThreshold.STRICT);
        strict.addFrame(gt, pred, 100);
        assertEquals(0.0, strict.pooled(0.2));

        BadjaPckDataset dataset = new BadjaPckDataset();
        dataset.add("a", inclusive);
        dataset.add("b", strict);
        assertEquals((0.75 + 0.0) / 2, dataset.mean(0.2));
    }

    @Test
    void jointWithoutPredictionIsNotScored() {
        Keypoint[] gt = {Keypoint.at(0, 0), Keypoint.at(5, 5)};
        Keypoint[] pred = {Keypoint.at(0, 0), Keypoint.INVISIBLE};
        BadjaPck pck = new BadjaPck(PckThreshold.INCLUSIVE);
        pck.addFrame(gt, pred, 100);
        assertEquals(1, pck.scored());
        assertEquals(1.0, pck.pooled(0.1));
    }

    @Test
    void badInputsAreRejected() {
        BadjaPck pck = new BadjaPck(PckThreshold.INCLUSIVE);
        Keypoint[] one = {Keypoint.at(0, 0)};
        Keypoint[] two = {Keypoint.at(0, 0), Keypoint.at(1, 1)};
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> pck.addFrame(one, two, 10));
        assertEquals("frame 0: ground truth has 1 joints but the prediction has 2", size.getMessage());
        IllegalArgumentException area = assertThrows(IllegalArgumentException.class, () -> pck.addFrame(one, one, 0));
        assertEquals("frame 0: ground-truth mask area 0 cannot normalise 1 visible joints", area.getMessage());
    }

    @Test
    void thresholdRules() {
        assertTrue(PckThreshold.INCLUSIVE.hit(0.2, 0.2));
        assertFalse(PckThreshold.STRICT.hit(0.2, 0.2));
        assertTrue(PckThreshold.STRICT.hit(0.19, 0.2));
    }

    private static BadjaPck load(JsonNode root, PckThreshold threshold) {
        int frames = root.get("num_frames").asInt();
        int joints = root.get("num_joints").asInt();
        float[] gtXy = TestVectors.floats(root.get("gt_xy"));
        float[] predXy = TestVectors.floats(root.get("pred_xy"));
        int[] visible = TestVectors.ints(root.get("visible"));
        BadjaPck pck = new BadjaPck(threshold);
        for (int k = 0; k < frames; k++) {
            Keypoint[] gt = new Keypoint[joints];
            Keypoint[] pred = new Keypoint[joints];
            for (int j = 0; j < joints; j++) {
                int i = (k * joints + j) * 2;
                gt[j] = new Keypoint(gtXy[i], gtXy[i + 1], visible[k * joints + j] != 0);
                pred[j] = Keypoint.at(predXy[i], predXy[i + 1]);
            }
            // The vectors score every frame, the first included.
            pck.addFrame(gt, pred, TestVectors.rle(root.get("gt_masks_rle").get(k)));
        }
        return pck;
    }
}
