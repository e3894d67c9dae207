package dev.cycletrack.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.testutil.TestVectors;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DavisMetricsTest {

    // J and F come from integer counts divided as the reference does: expect agreement to rounding.
    private static final double EXACT = 1e-12;

    @Test
    void reproducesEveryReferencePair() {
        JsonNode root = TestVectors.require("metrics-davis.json");
        assertEquals(0.008, root.get("bound_th").asDouble());
        int pairs = 0;
        for (JsonNode pair : root.get("pairs")) {
            String name = pair.get("name").asText();
            int width = pair.get("gt").get("width").asInt();
            int height = pair.get("gt").get("height").asInt();
            boolean[] gt = TestVectors.rle(pair.get("gt"));
            boolean[] pred = TestVectors.rle(pair.get("pred"));
            assertEquals(pair.get("bound_pix").asInt(), DavisMetrics.boundaryRadius(width, height), name);
            assertEquals(pair.get("J").asDouble(), DavisMetrics.jaccard(gt, pred), EXACT, name + " J");
            assertEquals(pair.get("F").asDouble(), DavisMetrics.fMeasure(gt, pred, width, height), EXACT, name + " F");
            pairs++;
        }
        assertEquals(18, pairs);
    }

    @Test
    void identicalMasksScoreOne() {
        boolean[] m = rectangle(20, 10, 3, 2, 9, 7);
        assertEquals(1.0, DavisMetrics.jaccard(m, m.clone()));
        assertEquals(1.0, DavisMetrics.fMeasure(m, m.clone(), 20, 10));
    }

    @Test
    void emptyCases() {
        boolean[] empty = new boolean[200];
        boolean[] box = rectangle(20, 10, 3, 2, 9, 7);
        assertEquals(1.0, DavisMetrics.jaccard(empty, empty));
        assertEquals(1.0, DavisMetrics.fMeasure(empty, empty, 20, 10));
        // Prediction empty: P = 1, R = 0; ground truth empty: P = 0, R = 1; F = 0 either way.
        assertEquals(new DavisMetrics.BoundaryScore(1, 0, 0), DavisMetrics.boundaryScore(box, empty, 20, 10));
        assertEquals(new DavisMetrics.BoundaryScore(0, 1, 0), DavisMetrics.boundaryScore(empty, box, 20, 10));
        assertEquals(0.0, DavisMetrics.jaccard(box, empty));
    }

    @Test
    void fullMaskHasNoBoundary() {
        boolean[] full = new boolean[12];
        Arrays.fill(full, true);
        assertEquals(0, DavisMetrics.count(DavisMetrics.boundary(full, 4, 3)));
        assertEquals(1.0, DavisMetrics.fMeasure(full, full.clone(), 4, 3));
    }

    @Test
    void boundaryFollowsSeg2bmap() {
        // A 2x2 block at (1..2, 1..2) in a 4x4 image; hand-derived from b = s^E | s^S | s^SE with the
        // last row/column overwrite.
        boolean[] m = rectangle(4, 4, 1, 1, 3, 3);
        boolean[] expected = {
            true, true, true, false,
            true, false, true, false,
            true, true, true, false,
            false, false, false, false
        };
        assertArrayEquals(expected, DavisMetrics.boundary(m, 4, 4));
        // Last row is m ^ east, last column m ^ south, corner 0.
        boolean[] bottom = rectangle(4, 4, 1, 3, 3, 4);
        boolean[] expectedBottom = {
            false, false, false, false,
            false, false, false, false,
            true, true, true, false,
            true, false, true, false
        };
        assertArrayEquals(expectedBottom, DavisMetrics.boundary(bottom, 4, 4));
    }

    @Test
    void boundaryRadiusMatchesTheToolkit() {
        assertEquals(1, DavisMetrics.boundaryRadius(64, 48));
        assertEquals(2, DavisMetrics.boundaryRadius(128, 96));
        assertEquals(8, DavisMetrics.boundaryRadius(854, 480));
    }

    @Test
    void diskCoverAgreesWithBruteForceDilation() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            int w = 5 + rng.nextInt(40);
            int h = 5 + rng.nextInt(40);
            int r = rng.nextInt(7);
            boolean[] map = new boolean[w * h];
            for (int i = 0; i < map.length; i++) {
                map[i] = rng.nextInt(25) == 0;
            }
            DiskCover cover = new DiskCover(map, w, h, r);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(bruteDilated(map, w, h, r, x, y), cover.covers(x, y), "trial " + trial);
                }
            }
        }
    }

    @Test
    void sizeMismatchIsRejected() {
        boolean[] a = new boolean[12];
        boolean[] b = new boolean[15];
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> DavisMetrics.jaccard(a, b));
        assertEquals("ground-truth and predicted masks differ in size: 12 vs 15 pixels", j.getMessage());
        IllegalArgumentException f =
                assertThrows(IllegalArgumentException.class, () -> DavisMetrics.fMeasure(a, b, 4, 3));
        assertEquals("predicted mask has 15 pixels, expected 4x3 = 12", f.getMessage());
    }

    private static boolean bruteDilated(boolean[] map, int w, int h, int r, int x, int y) {
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (dx * dx + dy * dy <= r * r && xx >= 0 && yy >= 0 && xx < w && yy < h && map[yy * w + xx]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Mask of the half-open rectangle [x0, x1) x [y0, y1). */
    static boolean[] rectangle(int w, int h, int x0, int y0, int x1, int y1) {
        boolean[] m = new boolean[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * w + x] = true;
            }
        }
        return m;
    }
}
