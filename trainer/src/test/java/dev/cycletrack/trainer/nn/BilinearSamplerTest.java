package dev.cycletrack.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.geometry.TrackCrop;
import dev.cycletrack.trainer.geometry.WarpGrid;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BilinearSamplerTest {

    @Test
    void matchesTheSpecColumnMapExamples() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] cols = new float[2 * 4 * 8];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 8; j++) {
                        cols[c * 32 + i * 8 + j] = j;
                    }
                }
            }
            NDArray map = m.create(cols, new Shape(1, 2, 4, 8));
            TrackCrop full = TrackCrop.whole(256, 256, 256);
            TrackCrop left = new TrackCrop(256, 256, 256, 0, 0, 128, 256, false);
            TrackCrop right = new TrackCrop(256, 256, 256, 128, 0, 128, 256, false);
            TrackCrop flipped = new TrackCrop(256, 256, 256, 0, 0, 256, 256, true);
            float[] s1 = BilinearSampler.warp(
                            map, List.of(WarpGrid.of(Affine.samplerTheta(full.matrix(), left.matrix()), 4, 8)))
                    .toFloatArray();
            float[] s2 = BilinearSampler.warp(
                            map, List.of(WarpGrid.of(Affine.samplerTheta(right.matrix(), full.matrix()), 4, 8)))
                    .toFloatArray();
            float[] s3 = BilinearSampler.warp(
                            map, List.of(WarpGrid.of(Affine.samplerTheta(flipped.matrix(), full.matrix()), 4, 8)))
                    .toFloatArray();
            for (int r = 0; r < 8; r++) { // both channels, every row
                assertArrayEquals(
                        new float[] {0, 0.498f, 0.996f, 1.494f, 1.992f, 2.490f, 2.988f, 3.486f},
                        java.util.Arrays.copyOfRange(s1, r * 8, r * 8 + 8),
                        6e-4f);
                assertArrayEquals(
                        new float[] {0, 0, 0, 0, 0.976f, 2.984f, 4.992f, 7.0f},
                        java.util.Arrays.copyOfRange(s2, r * 8, r * 8 + 8),
                        6e-4f);
                assertArrayEquals(
                        new float[] {7, 6, 5, 4, 3, 2, 1, 0},
                        java.util.Arrays.copyOfRange(s3, r * 8, r * 8 + 8),
                        1e-5f);
            }
        }
    }

    @Test
    void batchOfGridsMatchesTheJavaReferenceAndGradientIsTheTranspose() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 3;
        int c = 4;
        int h = 6;
        int w = 7;
        float[] data = new float[n * c * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        List<WarpGrid> grids = List.of(
                WarpGrid.of(Affine.of2x3(0.7, 0.1, 0.2, -0.05, 1.3, -0.1), h, w),
                WarpGrid.of(Affine.of2x3(-1, 0, 0, 0, 1, 0), h, w),
                WarpGrid.of(Affine.of2x3(1.8, 0, 0.9, 0, 0.5, 0.3), h, w));
        float[] upstream = new float[n * c * h * w];
        for (int i = 0; i < upstream.length; i++) {
            upstream[i] = (float) rng.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(data, new Shape(n, c, h, w));
            x.setRequiresGradient(true);
            float[] out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = BilinearSampler.warp(x, grids);
                out = y.toFloatArray();
                gc.backward(y.mul(m.create(upstream, new Shape(n, c, h, w))).sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            int p = h * w;
            for (int b = 0; b < n; b++) {
                WarpGrid g = grids.get(b);
                int[] idx = g.index();
                float[] wt = g.weight();
                for (int ch = 0; ch < c; ch++) {
                    int off = (b * c + ch) * p;
                    float[] plane = java.util.Arrays.copyOfRange(data, off, off + p);
                    float[] want = g.apply(plane);
                    for (int q = 0; q < p; q++) {
                        assertEquals(want[q], out[off + q], 1e-5, "value b=" + b + " c=" + ch + " q=" + q);
                    }
                    float[] wantGrad = new float[p];
                    for (int k = 0; k < WarpGrid.NEIGHBOURS; k++) {
                        for (int q = 0; q < p; q++) {
                            wantGrad[idx[k * p + q]] += wt[k * p + q] * upstream[off + q];
                        }
                    }
                    for (int q = 0; q < p; q++) {
                        assertEquals(wantGrad[q], grad[off + q], 1e-4, "grad b=" + b + " c=" + ch + " q=" + q);
                    }
                }
            }
        }
    }
}
