package dev.cycletrack.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.geometry.TrackCrop;
import dev.cycletrack.trainer.geometry.WarpGrid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CycleLossTest {

    private static List<WarpGrid> identityGrids(int batch, int h, int w) {
        return Collections.nCopies(batch, WarpGrid.of(Affine.IDENTITY, h, w));
    }

    /** Features (B, 2T, D, h, w) where cell p of every frame is the one-hot vector e_p. */
    private static NDArray oneHotClip(NDManager m, int batch, int t, int d, int h, int w) {
        int p = h * w;
        float[] v = new float[batch * 2 * t * d * p];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < 2 * t; f++) {
                for (int q = 0; q < p; q++) {
                    v[((b * 2 * t + f) * d + q) * p + q] = 1f;
                }
            }
        }
        return m.create(v, new Shape(batch, 2 * t, d, h, w));
    }

    @Test
    void cyclesFollowTheCodeConvention() {
        assertEquals(List.of(1, 2), CycleLoss.cycleStarts(4, false));
        assertEquals(List.of(1, 2, 3), CycleLoss.cycleStarts(4, true));
        assertEquals(List.of(), CycleLoss.cycleStarts(2, false));
        assertEquals(List.of(1), CycleLoss.cycleStarts(2, true));
        assertEquals(7, CycleLoss.factors(4, 1));
        assertEquals(5, CycleLoss.factors(4, 2));
    }

    @Test
    void transitionRowsSumToOneWithAndWithoutDropout() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(2, 16, 100)).normalize(2, 1, 1e-12);
            NDArray y = m.randomNormal(new Shape(2, 16, 100)).normalize(2, 1, 1e-12);
            for (double drop : new double[] {0, 0.1, 0.5}) {
                CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, drop, false));
                NDArray a = loss.transition(x, y, true);
                assertEquals(new Shape(2, 100, 100), a.getShape());
                float[] sums = a.sum(new int[] {2}).toFloatArray();
                for (float s : sums) {
                    assertEquals(1f, s, 1e-4f);
                }
                float[] values = a.toFloatArray();
                int zeros = 0;
                for (float v : values) {
                    if (v == 0f) {
                        zeros++;
                    }
                }
                double frac = zeros / (double) values.length;
                // Dropped edges get exactly zero probability; at tau 0.05 kept edges underflow very rarely.
                assertEquals(drop, frac, 0.02, "dropped fraction at p=" + drop);
                // Off at test time.
                NDArray eval = loss.transition(x, y, false);
                assertEquals(0, countZeros(eval.toFloatArray()), 5);
            }
        }
    }

    private static int countZeros(float[] values) {
        int n = 0;
        for (float v : values) {
            if (v == 0f) {
                n++;
            }
        }
        return n;
    }

    @Test
    void l2NormalisationKeepsZeroVectorsZero() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(new float[] {3, 0, 4, 0}, new Shape(1, 2, 2)); // channels on axis 1
            float[] n = x.normalize(2, 1, 1e-12).toFloatArray();
            assertEquals(0.6f, n[0], 1e-6f);
            assertEquals(0.8f, n[2], 1e-6f);
            assertEquals(0f, n[1]);
            assertEquals(0f, n[3]);
        }
    }

    @Test
    void perfectlyCorrespondingFeaturesGiveLossNearZero() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int h = 5;
            int w = 6;
            NDArray f = oneHotClip(m, 2, 4, 32, h, w);
            CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, 0, true));
            CycleLoss.Result r = loss.compute(f, identityGrids(2, h, w), false);
            assertTrue(r.lossValue() < 1e-3, "loss " + r.lossValue());
            assertEquals(1.0, r.accuracy(), 1e-9);
            assertEquals(3, r.cycleLosses().size());
            assertEquals(1.0, r.maskFraction(), 1e-9);
        }
    }

    @Test
    void randomFeaturesGiveLossNearLogN() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(11);
            int h = 8;
            int w = 8;
            int p = h * w;
            NDArray f = m.randomNormal(new Shape(4, 8, 512, h, w)).normalize(2, 2, 1e-12);
            CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, 0.1, false));
            CycleLoss.Result r = loss.compute(f, identityGrids(4, h, w), true);
            assertEquals(Math.log(p), r.lossValue(), 0.05 * Math.log(p), "loss " + r.lossValue());
            assertTrue(r.accuracy() < 0.1, "accuracy " + r.accuracy());
        }
    }

    @Test
    void theMaskExcludesRowsWithoutACounterpart() {
        // Forward = right half, backward = full frame: columns 0..w/2-1 of the backward grid have no source.
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int h = 4;
            int w = 8;
            TrackCrop full = TrackCrop.whole(64, 64, 64);
            TrackCrop right = new TrackCrop(64, 64, 64, 32, 0, 32, 64, false);
            WarpGrid g = WarpGrid.of(Affine.samplerTheta(right.matrix(), full.matrix()), h, w);
            NDArray f = oneHotClip(m, 1, 3, 32, h, w);
            CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, 0, false));
            CycleLoss.Result r = loss.compute(f, List.of(g), false);
            assertEquals(0.5, r.maskFraction(), 1e-9);
            assertTrue(Double.isFinite(r.lossValue()));
        }
    }

    @Test
    void tooShortClipsAreRefused() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray f = oneHotClip(m, 1, 2, 16, 3, 3);
            CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, 0, false));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> loss.compute(f, identityGrids(1, 3, 3), false));
            assertTrue(e.getMessage().contains("shortest cycle"));
            List<WarpGrid> grids = new ArrayList<>(identityGrids(1, 3, 3));
            CycleLoss withShortest = new CycleLoss(new CycleLoss.Settings(0.05, 0, true));
            assertTrue(withShortest.compute(f, grids, false).lossValue() < 1e-3);
            new SplittableRandom(1);
        }
    }
}
