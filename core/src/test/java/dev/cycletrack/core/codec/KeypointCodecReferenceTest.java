package dev.cycletrack.core.codec;

import static dev.cycletrack.core.testutil.TestVectors.doubles;
import static dev.cycletrack.core.testutil.TestVectors.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reproduces shared/testdata/codec-keypoints.json (README section 3). */
class KeypointCodecReferenceTest {

    @Test
    void encodeCasesMatchDrawLabelmap() {
        JsonNode root = TestVectors.require("codec-keypoints.json");
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        for (JsonNode c : root.get("encode").get("cases")) {
            double[] expected = doubles(c.get("heatmap"));
            double[] plane = new double[h * w];
            KeypointCodec.drawGaussian(
                    plane,
                    h,
                    w,
                    c.get("grid_xy").get(0).asDouble(),
                    c.get("grid_xy").get(1).asDouble());
            for (int i = 0; i < plane.length; i++) {
                assertEquals(expected[i], plane[i], 1e-12, c.get("name").asText() + " cell " + i);
            }
        }
    }

    @Test
    void combinedMapsAndTheirDecode() {
        JsonNode root = TestVectors.require("codec-keypoints.json");
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        JsonNode combined = root.get("encode").get("combined_with_background");
        double[] maps = doubles(combined.get("maps"));
        int channels = maps.length / (h * w);
        // Build the same maps from the cases, with the background rule.
        float[] chw = new float[channels * h * w];
        JsonNode cases = root.get("encode").get("cases");
        for (int j = 0; j < channels - 1; j++) {
            String name = combined.get("joint_order").get(j).asText();
            JsonNode c = null;
            for (JsonNode x : cases) {
                if (x.get("name").asText().equals(name)) {
                    c = x;
                }
            }
            double[] plane = new double[h * w];
            KeypointCodec.drawGaussian(
                    plane,
                    h,
                    w,
                    c.get("grid_xy").get(0).asDouble(),
                    c.get("grid_xy").get(1).asDouble());
            for (int n = 0; n < h * w; n++) {
                chw[(j + 1) * h * w + n] = (float) plane[n];
            }
        }
        for (int n = 0; n < h * w; n++) {
            boolean empty = true;
            for (int j = 1; j < channels; j++) {
                empty &= chw[j * h * w + n] == 0;
            }
            chw[n] = empty ? 1 : 0;
        }
        for (int i = 0; i < chw.length; i++) {
            assertEquals(maps[i], chw[i], 1e-7, "combined map value " + i);
        }
        float[] decoded = floats(combined.get("decoded_grid_xy"));
        JsonNode ties = combined.get("decode_depends_on_tie_breaking");
        double[][] got = KeypointCodec.decodeGrid(LabelMap.fromChannelFirst(channels, h, w, chw));
        for (int j = 0; j < channels - 1; j++) {
            if (!ties.get(j).asBoolean()) {
                assertEquals(decoded[2 * j], got[j][0], 1e-5, "joint " + j + " x");
                assertEquals(decoded[2 * j + 1], got[j][1], 1e-5, "joint " + j + " y");
            }
        }
    }

    @Test
    void decodeCases() {
        JsonNode root = TestVectors.require("codec-keypoints.json");
        int h = root.get("H").asInt();
        int w = root.get("W").asInt();
        JsonNode decode = root.get("decode");
        float[] input = floats(decode.get("input_with_background"));
        int channels = input.length / (h * w);
        float[] expected = floats(decode.get("decoded_grid_xy"));
        double[][] got = KeypointCodec.decodeGrid(LabelMap.fromChannelFirst(channels, h, w, input));
        for (int j = 0; j < channels - 1; j++) {
            String name = decode.get("names").get(j).asText();
            assertEquals(expected[2 * j], got[j][0], 1e-5, name + " x " + Arrays.toString(got[j]));
            assertEquals(expected[2 * j + 1], got[j][1], 1e-5, name + " y");
        }
    }

    @Test
    void roundTripRecoversAPointOnTheGrid() {
        // A joint exactly on a cell centre decodes back to itself (peak + symmetric neighbours).
        LabelMap map = KeypointCodec.encode(
                java.util.List.of(Keypoint.at(80, 48), Keypoint.INVISIBLE), 160, 96, 128, 128, 16, 16, 8);
        var decoded = KeypointCodec.decode(map, 160, 96);
        assertEquals(false, decoded.get(1).visible());
        assertEquals(3, map.channels());
    }
}
