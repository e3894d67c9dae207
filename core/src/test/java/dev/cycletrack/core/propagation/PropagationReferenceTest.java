package dev.cycletrack.core.propagation;

import static dev.cycletrack.core.testutil.TestVectors.floats;
import static dev.cycletrack.core.testutil.TestVectors.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.codec.KeypointCodec;
import dev.cycletrack.core.codec.MaskCodec;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reproduces the CRW reference propagation vectors of shared/testdata (README sections 1-2). */
class PropagationReferenceTest {

    static List<FeatureMap> frames(JsonNode root) {
        int t = root.get("T").asInt();
        int c = root.get("C").asInt();
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        float[] all = floats(root.get("features"));
        List<FeatureMap> out = new ArrayList<>();
        int per = c * h * w;
        for (int i = 0; i < t; i++) {
            out.add(FeatureMap.fromChannelFirst(c, h, w, Arrays.copyOfRange(all, i * per, (i + 1) * per)));
        }
        return out;
    }

    static PropagationParams params(JsonNode run) {
        JsonNode p = run.get("params");
        return new PropagationParams(
                p.get("m").asInt(),
                p.get("radius").asDouble(),
                p.get("topk").asInt(),
                p.get("temperature").asDouble());
    }

    static List<LabelMap> propagate(Propagator how, PropagationParams p, List<FeatureMap> frames, LabelMap labels0) {
        PropagationContext ctx = PropagationContext.start(p, how, frames.get(0), labels0);
        List<LabelMap> out = new ArrayList<>();
        for (int t = 1; t < frames.size(); t++) {
            out.add(ctx.step(frames.get(t)));
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tol) {
            throw new AssertionError(what + ": max |diff| " + worst + " at " + at + " (expected " + expected[at]
                    + ", got " + actual[at] + "), tolerance " + tol);
        }
    }

    /** Whether the 3rd and 4th largest values of channel c (channel-first map) are within 1e-6. */
    static boolean nearTie(float[] chw, int c, int plane) {
        float[] v = Arrays.copyOfRange(chw, c * plane, (c + 1) * plane);
        Arrays.sort(v);
        return v[plane - 3] - v[plane - 4] < 1e-6 && v[plane - 3] > 0;
    }

    @ParameterizedTest(name = "vos run {0}")
    @ValueSource(ints = {0, 1})
    void vosRunsMatchReference(int runIndex) {
        JsonNode root = TestVectors.require("propagation-vos.json");
        List<FeatureMap> frames = frames(root);
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        LabelMap labels0 = LabelMap.fromChannelFirst(3, h, w, floats(root.get("labels_frame0")));
        JsonNode run = root.get("runs").get(runIndex);
        float[] expected = floats(run.get("propagated"));
        int[] argmaxGrid = ints(run.get("argmax_grid"));
        int[] upsampled = ints(run.get("upsampled_argmax"));
        int imgH = root.get("image_height").asInt();
        int imgW = root.get("image_width").asInt();
        for (Propagator how : List.of(Propagator.windowed(), Propagator.dense())) {
            List<LabelMap> got = propagate(how, params(run), frames, labels0);
            int per = 3 * h * w;
            for (int t = 0; t < got.size(); t++) {
                String what = how.getClass().getSimpleName() + " frame " + (t + 1);
                assertClose(
                        Arrays.copyOfRange(expected, t * per, (t + 1) * per),
                        got.get(t).toChannelFirst(),
                        1e-5,
                        what);
                int[] grid = MaskCodec.argmaxChannels(got.get(t), w, h);
                assertArrayEquals(Arrays.copyOfRange(argmaxGrid, t * h * w, (t + 1) * h * w), grid, what + " argmax");
                int[] up = MaskCodec.argmaxChannels(got.get(t), imgW, imgH);
                assertArrayEquals(
                        Arrays.copyOfRange(upsampled, t * imgH * imgW, (t + 1) * imgH * imgW),
                        up,
                        what + " upsampled argmax");
            }
        }
    }

    @ParameterizedTest(name = "pose run {0}")
    @ValueSource(ints = {0, 1})
    void poseRunsMatchReference(int runIndex) {
        JsonNode root = TestVectors.require("propagation-pose.json");
        List<FeatureMap> frames = frames(root);
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        int joints = root.get("J").asInt();
        int imgH = root.get("image_height").asInt();
        int imgW = root.get("image_width").asInt();
        int crop = root.get("crop_size").asInt();
        double[] xy0 = TestVectors.doubles(root.get("joints_frame0_image_xy"));
        List<Keypoint> kps = new ArrayList<>();
        for (int j = 0; j < joints; j++) {
            kps.add(Keypoint.at(xy0[2 * j], xy0[2 * j + 1]));
        }
        LabelMap labels0 = KeypointCodec.encode(kps, imgW, imgH, crop, crop, h, w, 8);
        assertClose(floats(root.get("heatmaps_frame0")), labels0.toChannelFirst(), 1e-7, "encoded heatmaps");

        JsonNode run = root.get("runs").get(runIndex);
        float[] expected = floats(run.get("propagated"));
        float[] decodedGrid = floats(run.get("decoded_grid_xy"));
        double[] decodedImage = TestVectors.doubles(run.get("decoded_image_xy"));
        JsonNode ties = run.get("decode_depends_on_tie_breaking");
        for (Propagator how : List.of(Propagator.windowed(), Propagator.dense())) {
            List<LabelMap> got = new ArrayList<>();
            got.add(labels0);
            got.addAll(propagate(how, params(run), frames, labels0));
            int per = (joints + 1) * h * w;
            for (int t = 0; t < got.size(); t++) {
                String what = how.getClass().getSimpleName() + " frame " + t;
                if (t > 0) {
                    assertClose(
                            Arrays.copyOfRange(expected, (t - 1) * per, t * per),
                            got.get(t).toChannelFirst(),
                            1e-5,
                            what);
                }
                double[][] grid = KeypointCodec.decodeGrid(got.get(t));
                List<Keypoint> image = KeypointCodec.decode(got.get(t), imgW, imgH);
                for (int j = 0; j < joints; j++) {
                    // Exact ties are flagged by the reference; near-ties (3rd and 4th largest within
                    // 1e-6, e.g. 0.13533530 vs 0.13533528 in run 1) flip with float rounding alone.
                    if (ties.get(t).get(j).asBoolean()
                            || (t > 0 && nearTie(Arrays.copyOfRange(expected, (t - 1) * per, t * per), j + 1, h * w))) {
                        continue;
                    }
                    int i = (t * joints + j) * 2;
                    assertEquals(decodedGrid[i], grid[j][0], 1e-4, what + " joint " + j + " grid x");
                    assertEquals(decodedGrid[i + 1], grid[j][1], 1e-4, what + " joint " + j + " grid y");
                    assertEquals(decodedImage[i], image.get(j).x(), 1e-3, what + " joint " + j + " x");
                    assertEquals(decodedImage[i + 1], image.get(j).y(), 1e-3, what + " joint " + j + " y");
                }
            }
        }
    }
}
