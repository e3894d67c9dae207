package dev.cycletrack.core.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.datasets.BadjaDataset;
import dev.cycletrack.core.datasets.BadjaFrame;
import dev.cycletrack.core.datasets.BadjaSequence;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LucasKanadeKeypointTrackerTest {

    static final String CLIP = "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2";

    @Test
    void jhmdbTrackEqualsTheReferenceInEveryFrame() throws IOException {
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/jhmdb/lk/sequences/" + CLIP);
        JhmdbClip clip = JhmdbClip.open(TestVectors.requireData("jhmdb/" + CLIP));
        JsonNode predXy = ref.get("pred_xy");
        assertEquals(40, predXy.size());
        long nanos = 0;
        try (LucasKanadeKeypointTracker lk = new LucasKanadeKeypointTracker()) {
            List<Path> frames = clip.framePaths();
            lk.init(Images.readGray(frames.get(0)), clip.joints(0));
            assertTrack(predXy.get(0), lk.positions(), "frame 0");
            for (int t = 1; t < frames.size(); t++) {
                var gray = Images.readGray(frames.get(t));
                long t0 = System.nanoTime();
                List<Keypoint> pred = lk.step(gray);
                nanos += System.nanoTime() - t0;
                assertTrack(predXy.get(t), pred, "frame " + t);
            }
            assertEquals(ref.get("lk_status0_events").asInt(), lk.lostEvents());
        }
        System.out.printf("LK (JHMDB 320x240, 15 points): %.2f ms per frame%n", nanos / 1e6 / 39);
    }

    private static void assertTrack(JsonNode expected, List<Keypoint> actual, String where) {
        assertEquals(expected.size(), actual.size());
        for (int j = 0; j < actual.size(); j++) {
            Keypoint k = actual.get(j);
            // Positions are float32 inside the tracker; Keypoint widens them exactly.
            assertEquals((double) (float) k.x(), k.x(), 0.0);
            Reference.assertRounds(expected.get(j).get(0).asDouble(), k.x(), where + " joint " + j + " x");
            Reference.assertRounds(expected.get(j).get(1).asDouble(), k.y(), where + " joint " + j + " y");
        }
    }

    @Test
    void badjaTracksEqualTheReferenceAtEveryScoredFrame() throws IOException {
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/badja/lk/sequences");
        BadjaDataset badja = BadjaDataset.open(TestVectors.requireData("badja"));
        long nanos = 0;
        int steps = 0;
        for (String name : badja.sequences()) {
            BadjaSequence seq = badja.sequence(name);
            JsonNode r = ref.get(name);
            JsonNode predAt = r.get("pred_xy_at_scored_frames");
            Map<Integer, BadjaFrame> annotated = new HashMap<>();
            seq.annotated().forEach(f -> annotated.put(f.index(), f));
            List<Path> frames = seq.propagationFrames();
            int checked = 0;
            int[] correct = new int[2];
            int scored = 0;
            try (LucasKanadeKeypointTracker lk = new LucasKanadeKeypointTracker()) {
                lk.init(Images.readGray(frames.get(0)), seq.seed().joints());
                for (int i = 1; i < frames.size(); i++) {
                    var gray = Images.readGray(frames.get(i));
                    long t0 = System.nanoTime();
                    List<Keypoint> pred = lk.step(gray);
                    nanos += System.nanoTime() - t0;
                    steps++;
                    BadjaFrame gt = annotated.get(seq.seedIndex() + i);
                    if (gt == null) {
                        continue;
                    }
                    JsonNode expected = predAt.get(gt.frame());
                    // The reference lists the prediction of every joint that had a seed position.
                    Set<String> keys = new TreeSet<>();
                    expected.fieldNames().forEachRemaining(keys::add);
                    Set<String> ours = new TreeSet<>();
                    double area = Math.sqrt(gt.maskArea());
                    int scoredHere = 0;
                    for (int j = 0; j < BadjaDataset.JOINTS.size(); j++) {
                        if (!pred.get(j).visible()) {
                            continue;
                        }
                        int smal = BadjaDataset.JOINTS.get(j);
                        ours.add(Integer.toString(smal));
                        JsonNode xy = expected.get(Integer.toString(smal));
                        String where = name + " " + gt.frame() + " joint " + smal;
                        Reference.assertRounds(xy.get(0).asDouble(), pred.get(j).x(), where + " x");
                        Reference.assertRounds(xy.get(1).asDouble(), pred.get(j).y(), where + " y");
                        checked++;
                        if (!gt.joints().get(j).visible()) {
                            continue;
                        }
                        // Scored: visible here and at the seed; PCK counts computed inline.
                        double d = pred.get(j).distanceTo(gt.joints().get(j));
                        correct[0] += d <= 0.1 * area ? 1 : 0;
                        correct[1] += d <= 0.2 * area ? 1 : 0;
                        scored++;
                        scoredHere++;
                    }
                    assertEquals(keys, ours, name + " " + gt.frame() + ": joints with a seed");
                    JsonNode perFrame = perFrame(r, gt.frame());
                    assertEquals(perFrame.get("n").asInt(), scoredHere, name + " " + gt.frame());
                    assertEquals(perFrame.get("area").asInt(), gt.maskArea(), name + " " + gt.frame());
                }
                assertEquals(r.get("lk_status0_events").asInt(), lk.lostEvents(), name + ": points lost");
            }
            assertTrue(checked >= scored);
            // PCK counts, computed inline (threshold alpha * sqrt(mask area), inclusive).
            assertEquals(r.get("n_correct@0.1").asInt(), correct[0], name + " correct@0.1");
            assertEquals(r.get("n_correct@0.2").asInt(), correct[1], name + " correct@0.2");
            assertEquals(r.get("n_scored").asInt(), scored);
        }
        System.out.printf("LK (BADJA 854x480, <= 20 points): %.2f ms per frame%n", nanos / 1e6 / steps);
    }

    private static JsonNode perFrame(JsonNode sequence, String frame) {
        for (JsonNode f : sequence.get("per_frame")) {
            if (f.get("frame").asText().equals(frame)) {
                return f;
            }
        }
        throw new AssertionError("no per_frame entry for " + frame);
    }

    @Test
    void identityKeepsTheBadjaSeed() throws IOException {
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/badja/identity/sequences");
        BadjaDataset badja = BadjaDataset.open(TestVectors.requireData("badja"));
        for (String name : badja.sequences()) {
            BadjaSequence seq = badja.sequence(name);
            JsonNode r = ref.get(name);
            int[] correct = new int[2];
            int scored = 0;
            IdentityKeypointTracker identity = new IdentityKeypointTracker();
            identity.init(null, seq.seed().joints());
            for (BadjaFrame gt : seq.annotated().subList(1, seq.annotated().size())) {
                List<Keypoint> pred = identity.step(null);
                double area = Math.sqrt(gt.maskArea());
                for (int j = 0; j < pred.size(); j++) {
                    if (gt.joints().get(j).visible() && pred.get(j).visible()) {
                        double d = pred.get(j).distanceTo(gt.joints().get(j));
                        correct[0] += d <= 0.1 * area ? 1 : 0;
                        correct[1] += d <= 0.2 * area ? 1 : 0;
                        scored++;
                    }
                }
            }
            assertEquals(r.get("n_scored").asInt(), scored, name);
            assertEquals(r.get("n_correct@0.1").asInt(), correct[0], name);
            assertEquals(r.get("n_correct@0.2").asInt(), correct[1], name);
        }
    }

    @Test
    void tracksTheGoalkeeperInTheShippedSample() throws IOException {
        Path dir = Samples.jhmdbCatch().orElseThrow(() -> new AssertionError("the shipped J-HMDB sample is missing"));
        JhmdbClip clip = JhmdbClip.open(dir);
        double lkError = 0;
        double stillError = 0;
        int n = 0;
        try (FrameStream frames = clip.frames();
                LucasKanadeKeypointTracker lk = new LucasKanadeKeypointTracker()) {
            lk.init(Images.toGray(frames.next()), clip.joints(0));
            for (int t = 1; t <= 10; t++) {
                List<Keypoint> pred = lk.step(Images.toGray(frames.next()));
                for (int j = 0; j < 15; j++) {
                    lkError += pred.get(j).distanceTo(clip.joints(t).get(j));
                    stillError +=
                            clip.joints(0).get(j).distanceTo(clip.joints(t).get(j));
                    n++;
                }
            }
        }
        lkError /= n;
        stillError /= n;
        System.out.printf("sample, frames 1-10: LK mean error %.1f px, identity %.1f px%n", lkError, stillError);
        // The goalkeeper dives and the camera pans: about 57 px of motion against about 13 px of LK error.
        assertTrue(lkError < 20, "LK mean error " + lkError + " px");
        assertTrue(lkError < stillError / 2.5, "LK " + lkError + " px vs not moving " + stillError + " px");
    }
}
