package dev.cycletrack.core.codec;

import dev.cycletrack.core.tensor.LabelMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Keypoints to soft label maps and back (SPEC 2.3b), as the CRW/STFC3 pose evaluation does it.
 *
 * <p>Encode: channel j+1 gets a 4x4 Gaussian window (sigma 0.5 grid cells) around the joint's grid
 * position, values assigned (not accumulated); channel 0 is 1 where every joint channel is 0. Decode:
 * per joint channel, the weighted mean position of its 3 largest cells; an all-zero channel decodes
 * to an invisible joint.
 */
public final class KeypointCodec {

    /** Gaussian sigma in grid cells. */
    public static final double SIGMA = 0.5;

    /** Cells averaged by the decoder. */
    public static final int DECODE_TOP = 3;

    private KeypointCodec() {}

    /**
     * Encodes keypoints given in original image pixels. The image ({@code imageW x imageH}) is
     * resized to {@code processedW x processedH} before the encoder, whose grid is {@code gridH x
     * gridW} at stride {@code stride}. An invisible keypoint gets an all-zero channel, so it stays
     * invisible in every frame.
     */
    public static LabelMap encode(
            List<Keypoint> keypoints,
            int imageW,
            int imageH,
            int processedW,
            int processedH,
            int gridH,
            int gridW,
            int stride) {
        int channels = keypoints.size() + 1;
        float[] data = new float[gridH * gridW * channels];
        double[] plane = new double[gridH * gridW];
        for (int j = 0; j < keypoints.size(); j++) {
            Keypoint k = keypoints.get(j);
            if (!k.visible() || !Double.isFinite(k.x()) || !Double.isFinite(k.y())) {
                continue;
            }
            java.util.Arrays.fill(plane, 0);
            // Same operation order as the reference: coord * resized / original / stride.
            double gx = k.x() * processedW / imageW / stride;
            double gy = k.y() * processedH / imageH / stride;
            drawGaussian(plane, gridH, gridW, gx, gy);
            for (int n = 0; n < plane.length; n++) {
                data[n * channels + j + 1] = (float) plane[n];
            }
        }
        for (int n = 0; n < gridH * gridW; n++) {
            boolean empty = true;
            for (int c = 1; c < channels; c++) {
                if (data[n * channels + c] != 0) {
                    empty = false;
                    break;
                }
            }
            data[n * channels] = empty ? 1f : 0f;
        }
        return new LabelMap(gridH, gridW, channels, data);
    }

    /**
     * Draws the reference window into a row-major {@code h x w} plane at grid position (gx, gy):
     * corners truncated toward zero, values assigned. Package-visible for the reference tests.
     */
    static void drawGaussian(double[] plane, int h, int w, double gx, double gy) {
        int size = (int) (6 * SIGMA + 1);
        int ulx = (int) (gx - 3 * SIGMA);
        int uly = (int) (gy - 3 * SIGMA);
        int brx = (int) (gx + 3 * SIGMA + 1);
        int bry = (int) (gy + 3 * SIGMA + 1);
        if (ulx >= w || uly >= h || brx < 0 || bry < 0) {
            return;
        }
        int centre = size / 2;
        for (int r = Math.max(0, uly); r < Math.min(bry, h); r++) {
            for (int c = Math.max(0, ulx); c < Math.min(brx, w); c++) {
                int px = c - ulx;
                int py = r - uly;
                if (px >= size || py >= size) {
                    continue;
                }
                double d2 = (px - centre) * (px - centre) + (py - centre) * (py - centre);
                plane[r * w + c] = Math.exp(-d2 / (2 * SIGMA * SIGMA));
            }
        }
    }

    /**
     * Decodes every joint channel (1..C-1) to grid coordinates {x, y}; (-1, -1) for an all-zero
     * channel. Among exactly equal values the lower cell index wins.
     */
    public static double[][] decodeGrid(LabelMap map) {
        int n = map.nodes();
        int channels = map.channels();
        float[] data = map.data();
        double[][] out = new double[channels - 1][];
        int[] bestIndex = new int[DECODE_TOP];
        float[] bestValue = new float[DECODE_TOP];
        for (int c = 1; c < channels; c++) {
            int kept = 0;
            double sum = 0;
            for (int node = 0; node < n; node++) {
                float v = data[node * channels + c];
                sum += v;
                // Insertion into a tiny sorted list; strict '>' keeps the lower index on ties.
                int pos = kept;
                while (pos > 0 && v > bestValue[pos - 1]) {
                    pos--;
                }
                if (pos < DECODE_TOP) {
                    int last = Math.min(kept, DECODE_TOP - 1);
                    for (int s = last; s > pos; s--) {
                        bestValue[s] = bestValue[s - 1];
                        bestIndex[s] = bestIndex[s - 1];
                    }
                    bestValue[pos] = v;
                    bestIndex[pos] = node;
                    kept = Math.min(kept + 1, DECODE_TOP);
                }
            }
            if (sum == 0) {
                out[c - 1] = new double[] {-1, -1};
                continue;
            }
            // Weights in float32 as torch computes them: v / sum(v).
            float total = 0;
            for (int i = 0; i < kept; i++) {
                total += bestValue[i];
            }
            float x = 0;
            float y = 0;
            for (int i = 0; i < kept; i++) {
                float wgt = bestValue[i] / total;
                x += wgt * (bestIndex[i] % map.width());
                y += wgt * (bestIndex[i] / map.width());
            }
            out[c - 1] = new double[] {x, y};
        }
        return out;
    }

    /**
     * Decodes to keypoints in original image pixels: x = gx / gridW * imageW, y = gy / gridH *
     * imageH, the exact inverse of the encoding (no half-cell shift).
     */
    public static List<Keypoint> decode(LabelMap map, int imageW, int imageH) {
        double[][] grid = decodeGrid(map);
        List<Keypoint> out = new ArrayList<>(grid.length);
        for (double[] g : grid) {
            if (g[0] < 0) {
                out.add(Keypoint.INVISIBLE);
            } else {
                out.add(Keypoint.at(g[0] / map.width() * imageW, g[1] / map.height() * imageH));
            }
        }
        return out;
    }
}
