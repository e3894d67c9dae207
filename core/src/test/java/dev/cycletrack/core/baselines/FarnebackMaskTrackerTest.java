package dev.cycletrack.core.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.datasets.DavisSequence;
import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FarnebackMaskTrackerTest {

    /**
     * Per-frame J of the propagated masks equals the reference's frames_J (frames 1 .. N-2). The two
     * shortest sequences run by default; Farneback at 480p costs 60-170 ms a frame on the shared
     * 2-core machine.
     */
    @ParameterizedTest
    @ValueSource(strings = {"blackswan", "horsejump-high"})
    void davisFramesJEqualTheReference(String name) throws IOException {
        farneback(name);
    }

    /** The two longer sequences (150 frames more): {@code mvn ... -Dcycletrack.fullBaselines=true}. */
    @ParameterizedTest
    @ValueSource(strings = {"camel", "dog"})
    @EnabledIfSystemProperty(named = "cycletrack.fullBaselines", matches = "true")
    void davisFramesJEqualTheReferenceOnLongSequences(String name) throws IOException {
        farneback(name);
    }

    private static void farneback(String name) throws IOException {
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/davis2016/lk/sequences/" + name);
        DavisSequence seq =
                DavisDataset.open(TestVectors.requireData("davis2016")).sequence(name);
        runAndCompare(new FarnebackMaskTracker(), seq, ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blackswan", "camel", "dog", "horsejump-high"})
    void identityFramesJEqualTheReference(String name) throws IOException {
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/davis2016/identity/sequences/" + name);
        DavisSequence seq =
                DavisDataset.open(TestVectors.requireData("davis2016")).sequence(name);
        runAndCompare(new IdentityMaskTracker(), seq, ref);
    }

    private static void runAndCompare(MaskTracker tracker, DavisSequence seq, JsonNode ref) throws IOException {
        int n = seq.frameCount();
        JsonNode framesJ = ref.get("frames_J");
        assertEquals(n - 2, framesJ.size());
        boolean identity = tracker instanceof IdentityMaskTracker;
        long nanos = 0;
        try (tracker) {
            // Identity never looks at the frames, so it skips decoding them.
            tracker.init(identity ? null : seq.readGray(0), seq.readAnnotation(0));
            IdMap pred = null;
            for (int t = 1; t < n; t++) {
                GrayImage gray = identity ? null : seq.readGray(t);
                long t0 = System.nanoTime();
                pred = tracker.step(gray);
                nanos += System.nanoTime() - t0;
                if (t < n - 1) {
                    double j = Reference.iou(pred.ids(), seq.readAnnotation(t).ids());
                    Reference.assertRounds(framesJ.get(t - 1).asDouble(), 100 * j, seq.name() + " frame " + t);
                }
            }
            // The last frame is predicted but not scored; its area pins down the whole chain exactly.
            assertEquals(ref.get("mask_area_last_pred").asInt(), pred.nonZeroCount(), seq.name());
        }
        if (!identity) {
            System.out.printf(
                    "Farneback + remap (%s, %dx%d): %.1f ms per frame%n", seq.name(), 854, 480, nanos / 1e6 / (n - 1));
        }
    }

    @Test
    void carriesSeveralObjectsAndLargeIds() {
        // A smooth random texture moved 3 px right and 2 px down between the frames.
        int w = 96;
        int h = 80;
        Random rnd = new Random(7);
        double[][] waves = new double[6][4];
        for (double[] wave : waves) {
            wave[0] = 0.05 + 0.2 * rnd.nextDouble();
            wave[1] = 0.05 + 0.2 * rnd.nextDouble();
            wave[2] = 2 * Math.PI * rnd.nextDouble();
            wave[3] = 20 * rnd.nextDouble();
        }
        GrayImage f0 = texture(w, h, waves, 0, 0);
        GrayImage f1 = texture(w, h, waves, 3, 2);
        int[] ids = new int[w * h];
        fillBox(ids, w, 20, 20, 40, 40, 1);
        fillBox(ids, w, 50, 30, 75, 60, 300);
        try (FarnebackMaskTracker tracker = new FarnebackMaskTracker()) {
            tracker.init(f0, new IdMap(w, h, ids));
            IdMap out = tracker.step(f1);
            int[] moved = new int[w * h];
            fillBox(moved, w, 23, 22, 43, 42, 1);
            fillBox(moved, w, 53, 32, 78, 62, 300);
            for (int id : out.ids()) {
                assertTrue(id == 0 || id == 1 || id == 300, "unexpected id " + id);
            }
            for (int id : new int[] {1, 300}) {
                int inter = 0;
                int union = 0;
                for (int i = 0; i < ids.length; i++) {
                    boolean p = out.ids()[i] == id;
                    boolean g = moved[i] == id;
                    inter += p && g ? 1 : 0;
                    union += p || g ? 1 : 0;
                }
                assertTrue(inter > 0.8 * union, "object " + id + " IoU " + (double) inter / union);
            }
        }
    }

    private static GrayImage texture(int w, int h, double[][] waves, int dx, int dy) {
        byte[] g = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 128;
                for (double[] wave : waves) {
                    v += wave[3] * Math.sin(wave[0] * (x - dx) + wave[1] * (y - dy) + wave[2]);
                }
                g[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new GrayImage(w, h, g);
    }

    private static void fillBox(int[] ids, int w, int x0, int y0, int x1, int y1, int id) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                ids[y * w + x] = id;
            }
        }
    }

    @Test
    void rejectsMismatchedSizesAndUseBeforeInit() {
        GrayImage g = new GrayImage(4, 4, new byte[16]);
        try (FarnebackMaskTracker tracker = new FarnebackMaskTracker()) {
            assertThrows(IllegalStateException.class, () -> tracker.step(g));
            assertThrows(IllegalArgumentException.class, () -> tracker.init(g, new IdMap(5, 4, new int[20])));
            tracker.init(g, new IdMap(4, 4, new int[16]));
            assertThrows(IllegalArgumentException.class, () -> tracker.step(new GrayImage(4, 5, new byte[20])));
        }
    }
}
