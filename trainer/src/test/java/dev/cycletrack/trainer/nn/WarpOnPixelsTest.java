package dev.cycletrack.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.trainer.TestData;
import dev.cycletrack.trainer.data.ImageOps;
import dev.cycletrack.trainer.data.VideoLibrary;
import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.geometry.TrackCrop;
import dev.cycletrack.trainer.geometry.WarpGrid;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The warp checked on real pixels (SPEC 3.2): crop a real frame twice with independent track crops
 * (flips included), warp the forward crop with Theta = B_f inverse(B_b) through the NDArray sampler, and
 * compare with the backward crop inside the mask. The paper's push matrix in its place must fail.
 */
class WarpOnPixelsTest {

    @Test
    void warpedForwardCropEqualsBackwardCropInsideTheMask() throws Exception {
        int s = 96;
        VideoLibrary.Video v = VideoLibrary.decode(TestData.sampleVideo(), 0, 0, 1);
        RgbImage frame = ImageOps.resize(v.frames().get(0), s, s);
        float[] planes = ImageOps.toPlanes(frame);
        SplittableRandom rng = new SplittableRandom(2024);
        double worstRight = 0;
        double bestWrong = Double.MAX_VALUE;
        int checked = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            while (checked < 12) {
                TrackCrop fwd = TrackCrop.sample(rng, s, s, s, 0.3, 1.0, 0.7, 1.3, 0.5);
                TrackCrop bwd = TrackCrop.sample(rng, s, s, s, 0.3, 1.0, 0.7, 1.3, 0.5);
                Affine theta = Affine.samplerTheta(fwd.matrix(), bwd.matrix());
                WarpGrid grid = WarpGrid.of(theta, s, s);
                float[] mask = grid.mask();
                int valid = 0;
                for (float x : mask) {
                    valid += x > 0 ? 1 : 0;
                }
                if (valid < s * s / 10) {
                    continue; // too little overlap to say anything
                }
                float[] fwdCrop = fwd.apply(planes, 3);
                float[] bwdCrop = bwd.apply(planes, 3);
                double right = maskedError(m, fwdCrop, bwdCrop, grid, mask, s);
                Affine push = bwd.matrix().times(fwd.matrix().inverse());
                WarpGrid wrongGrid = WarpGrid.of(push, s, s);
                double wrong = maskedError(m, fwdCrop, bwdCrop, wrongGrid, mask, s);
                worstRight = Math.max(worstRight, right);
                if (!push.approxEquals(theta, 0.05)) {
                    bestWrong = Math.min(bestWrong, wrong);
                }
                assertTrue(right < 0.035, "crops " + fwd + " / " + bwd + ": mean abs error " + right + " in the mask");
                checked++;
            }
        }
        System.out.printf(
                "warp on pixels: worst mean abs error inside the mask %.4f (Theta), best %.4f (push matrix)%n",
                worstRight, bestWrong);
        assertTrue(bestWrong > 2 * worstRight, "push direction should misalign: " + bestWrong + " vs " + worstRight);
    }

    private static double maskedError(
            NDManager m, float[] fwdCrop, float[] bwdCrop, WarpGrid grid, float[] mask, int s) {
        NDArray in = m.create(fwdCrop, new Shape(1, 3, s, s));
        float[] warped = BilinearSampler.warp(in, List.of(grid)).toFloatArray();
        double err = 0;
        int n = 0;
        int plane = s * s;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                if (mask[p] > 0 && grid.warpedOnes()[p] > 0.999f) {
                    err += Math.abs(warped[c * plane + p] - bwdCrop[c * plane + p]);
                    n++;
                }
            }
        }
        return err / Math.max(1, n);
    }
}
