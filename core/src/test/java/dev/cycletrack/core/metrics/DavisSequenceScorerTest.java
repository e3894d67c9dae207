package dev.cycletrack.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DavisSequenceScorerTest {

    // Per-frame values are stored with 12 significant digits; the means in full precision.
    private static final double STORED = 1e-11;
    private static final double EXACT = 1e-14;

    @Test
    void reproducesReferenceSequence() {
        JsonNode seq = TestVectors.require("metrics-davis.json").get("sequence");
        String name = seq.get("name").asText();
        int width = seq.get("width").asInt();
        int height = seq.get("height").asInt();
        int frames = seq.get("num_frames").asInt();
        DavisSequenceScorer scorer = new DavisSequenceScorer(name, width, height);
        for (int t = 0; t < frames; t++) {
            scorer.addFrame(
                    idMap(seq.get("gt_frames").get(t), width, height),
                    idMap(seq.get("pred_frames").get(t), width, height));
        }
        DavisSequenceScore score = scorer.finish();

        assertArrayEquals(TestVectors.ints(seq.get("evaluated_frame_indices")), score.scoredFrames());
        assertEquals(seq.get("num_objects").asInt(), score.objects().size());
        double[] refJ = TestVectors.doubles(seq.get("per_frame_J"));
        double[] refF = TestVectors.doubles(seq.get("per_frame_F"));
        int scored = score.scoredFrames().length;
        for (DavisObjectScore o : score.objects()) {
            int row = (o.objectId() - 1) * scored;
            assertArrayEquals(Arrays.copyOfRange(refJ, row, row + scored), o.j(), STORED, o.name() + " J");
            assertArrayEquals(Arrays.copyOfRange(refF, row, row + scored), o.f(), STORED, o.name() + " F");
            JsonNode ref = seq.get("per_object").get(o.name());
            assertEquals(ref.get("J_mean").asDouble(), o.jStats().mean(), EXACT, o.name());
            assertEquals(ref.get("J_recall").asDouble(), o.jStats().recall(), EXACT, o.name());
            assertEquals(ref.get("J_decay").asDouble(), o.jStats().decay(), EXACT, o.name());
            assertEquals(ref.get("F_mean").asDouble(), o.fStats().mean(), EXACT, o.name());
            assertEquals(ref.get("F_recall").asDouble(), o.fStats().recall(), EXACT, o.name());
            assertEquals(ref.get("F_decay").asDouble(), o.fStats().decay(), EXACT, o.name());
        }

        DavisEvaluation eval = new DavisEvaluation();
        eval.add(score);
        assertEquals(seq.get("J_mean").asDouble(), eval.jMean(), EXACT);
        assertEquals(seq.get("F_mean").asDouble(), eval.fMean(), EXACT);
        assertEquals(seq.get("JF_mean").asDouble(), eval.jfMean(), EXACT);
    }

    @Test
    void firstAndLastFramesAreNotScored() {
        int[] obj = ids(4, 4, 1, 0, 0, 2, 2);
        DavisSequenceScorer scorer = new DavisSequenceScorer("s", 4, 4);
        scorer.addFrame(obj, null);
        scorer.addFrame(obj, obj);
        // The last prediction carries an id the ground truth lacks: never read, so no error.
        scorer.addFrame(obj, ids(4, 4, 7, 0, 0, 4, 4));
        DavisSequenceScore score = scorer.finish();
        assertArrayEquals(new int[] {1}, score.scoredFrames());
        assertArrayEquals(new double[] {1}, score.objects().get(0).j());
        assertEquals(1, score.objects().size());
    }

    @Test
    void missingPredictedObjectIsScoredAsEmpty() {
        // Ground truth has objects 1 and 2; the prediction only 1.
        int[] gt = new int[4 * 4];
        gt[0] = 1;
        gt[15] = 2;
        int[] pred = new int[16];
        pred[0] = 1;
        DavisSequenceScorer scorer = new DavisSequenceScorer("pad", 4, 4);
        for (int t = 0; t < 4; t++) {
            scorer.addFrame(gt, pred);
        }
        DavisSequenceScore score = scorer.finish();
        assertEquals(2, score.objects().size());
        assertArrayEquals(new double[] {1, 1}, score.objects().get(0).j());
        assertArrayEquals(new double[] {0, 0}, score.objects().get(1).j());
        assertArrayEquals(new double[] {0, 0}, score.objects().get(1).f());
    }

    @Test
    void voidInGroundTruthIsBackground() {
        int[] gt = ids(4, 4, 1, 0, 0, 2, 2);
        gt[15] = 255;
        int[] pred = ids(4, 4, 1, 0, 0, 2, 2);
        DavisSequenceScorer scorer = new DavisSequenceScorer("void", 4, 4);
        for (int t = 0; t < 3; t++) {
            scorer.addFrame(gt, pred);
        }
        DavisSequenceScore score = scorer.finish();
        assertEquals(1, score.objects().size());
        assertEquals(1.0, score.objects().get(0).jStats().mean());
    }

    @Test
    void tooManyPredictedObjectsIsAnError() {
        int[] gt = ids(4, 4, 1, 0, 0, 2, 2);
        int[] pred = ids(4, 4, 2, 0, 0, 2, 2);
        DavisSequenceScorer scorer = new DavisSequenceScorer("extra", 4, 4);
        scorer.addFrame(gt, pred);
        scorer.addFrame(gt, pred);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.addFrame(gt, pred));
        assertEquals(
                "sequence extra frame 1: predicted object id 2 but the frame-0 ground truth has only 1 objects"
                        + " (ids 1..1)",
                e.getMessage());
    }

    @Test
    void badInputsAreRejected() {
        DavisSequenceScorer scorer = new DavisSequenceScorer("bad", 4, 4);
        IllegalArgumentException size =
                assertThrows(IllegalArgumentException.class, () -> scorer.addFrame(new int[16], new int[15]));
        assertEquals("sequence bad frame 0: prediction has 15 pixels, expected 4x4 = 16", size.getMessage());
        scorer.addFrame(new int[16], null);
        scorer.addFrame(new int[16], null);
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> scorer.addFrame(new int[16], null));
        assertEquals("sequence bad frame 1 is scored but has no prediction", missing.getMessage());

        DavisSequenceScorer shortSeq = new DavisSequenceScorer("short", 4, 4);
        shortSeq.addFrame(new int[16], null);
        shortSeq.addFrame(new int[16], null);
        assertThrows(IllegalStateException.class, shortSeq::finish);
    }

    @Test
    void datasetMeanIsOverObjectsNotSequences() {
        // Sequence a: one object, perfect. Sequence b: two objects, both missed entirely.
        DavisEvaluation eval = new DavisEvaluation();
        eval.add(constantSequence("a", ids(4, 4, 1, 0, 0, 2, 2), ids(4, 4, 1, 0, 0, 2, 2)));
        int[] gtB = ids(4, 4, 1, 0, 0, 2, 2);
        gtB[15] = 2;
        eval.add(constantSequence("b", gtB, new int[16]));
        assertEquals(3, eval.objects().size());
        assertEquals(1.0 / 3, eval.jMean(), 1e-15);
        assertEquals(1.0 / 3, eval.fMean(), 1e-15);
        assertEquals(1.0 / 3, eval.jfMean(), 1e-15);
    }

    @Test
    void decayUsesFourBins() {
        // n = 4: bins [0,1], [1,2], [2], [2,3]; decay = mean(v0, v1) - mean(v2, v3).
        DavisStatistics s = DavisStatistics.of(new double[] {1.0, 0.8, 0.4, 0.2});
        assertEquals(0.9 - 0.3, s.decay(), 1e-15);
        assertEquals(0.5, s.recall());
        assertEquals(0.6, s.mean(), 1e-15);
        // NaNs are ignored by the mean and count as "not above 0.5" in the recall.
        DavisStatistics n = DavisStatistics.of(new double[] {Double.NaN, 1.0});
        assertEquals(1.0, n.mean());
        assertEquals(0.5, n.recall());
    }

    private static DavisSequenceScore constantSequence(String name, int[] gt, int[] pred) {
        DavisSequenceScorer scorer = new DavisSequenceScorer(name, 4, 4);
        for (int t = 0; t < 3; t++) {
            scorer.addFrame(gt, pred);
        }
        return scorer.finish();
    }

    /** An id map with {@code id} on the half-open rectangle [x0, x1) x [y0, y1). */
    private static int[] ids(int w, int h, int id, int x0, int y0, int x1, int y1) {
        int[] out = new int[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                out[y * w + x] = id;
            }
        }
        return out;
    }

    /** Builds an id map from the per-object RLE masks of one frame (plain run lists). */
    private static int[] idMap(JsonNode frame, int width, int height) {
        int[] out = new int[width * height];
        frame.fields().forEachRemaining(e -> {
            int id = Integer.parseInt(e.getKey());
            ObjectNode mask = JsonNodeFactory.instance.objectNode();
            mask.put("height", height);
            mask.put("width", width);
            mask.set("rle", e.getValue());
            boolean[] m = TestVectors.rle(mask);
            for (int i = 0; i < m.length; i++) {
                if (m[i]) {
                    if (out[i] != 0) {
                        throw new IllegalStateException("objects overlap at pixel " + i);
                    }
                    out[i] = id;
                }
            }
        });
        return out;
    }
}
