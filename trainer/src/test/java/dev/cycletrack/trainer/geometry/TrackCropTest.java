package dev.cycletrack.trainer.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrackCropTest {

    /** Pixel -> normalised map of a side of n pixels (align_corners = true). */
    private static Affine normalise(int w, int h) {
        return Affine.of2x3(2.0 / (w - 1), 0, -1, 0, 2.0 / (h - 1), -1);
    }

    @Test
    void cropMatrixIsTheNormalisedPixelCropMap() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < 200; k++) {
            TrackCrop c = TrackCrop.sample(rng, 256, 256, 256, 0.08, 1.0, 0.7, 1.3, 0.5);
            // Pixel crop map: x -> (x - x0) * (S-1)/(w-1), likewise y.
            Affine pix = Affine.of2x3(
                    (c.size() - 1.0) / (c.w() - 1),
                    0,
                    -c.x0() * (c.size() - 1.0) / (c.w() - 1),
                    0,
                    (c.size() - 1.0) / (c.h() - 1),
                    -c.y0() * (c.size() - 1.0) / (c.h() - 1));
            Affine expected = normalise(c.size(), c.size())
                    .times(pix)
                    .times(normalise(256, 256).inverse());
            assertTrue(c.cropMatrix().approxEquals(expected, 1e-9), c + ": " + c.cropMatrix() + " vs " + expected);
            Affine b = c.matrix();
            Affine want = c.flip() ? Affine.FLIP_X.times(c.cropMatrix()) : c.cropMatrix();
            assertTrue(b.approxEquals(want, 1e-12));
        }
    }

    @Test
    void cropMatrixSendsTheBoxCornersToMinusOneAndOne() {
        TrackCrop c = new TrackCrop(256, 256, 256, 40, 10, 100, 150, false);
        double xLeft = 2.0 * 40 / 255 - 1;
        double xRight = 2.0 * (40 + 99) / 255 - 1;
        double yTop = 2.0 * 10 / 255 - 1;
        double yBottom = 2.0 * (10 + 149) / 255 - 1;
        assertEquals(-1, c.matrix().apply(xLeft, yTop)[0], 1e-12);
        assertEquals(-1, c.matrix().apply(xLeft, yTop)[1], 1e-12);
        assertEquals(1, c.matrix().apply(xRight, yBottom)[0], 1e-12);
        assertEquals(1, c.matrix().apply(xRight, yBottom)[1], 1e-12);
        TrackCrop flipped = new TrackCrop(256, 256, 256, 40, 10, 100, 150, true);
        assertEquals(1, flipped.matrix().apply(xLeft, yTop)[0], 1e-12);
    }

    @Test
    void spec31ExampleLeftHalf() {
        TrackCrop left = new TrackCrop(256, 256, 256, 0, 0, 128, 256, false);
        Affine b = left.matrix();
        assertEquals(255.0 / 127, b.get(0, 0), 1e-12);
        assertEquals(128.0 / 127, b.get(0, 2), 1e-12);
        assertEquals(1, b.get(1, 1), 1e-12);
        assertEquals(0, b.get(1, 2), 1e-12);
    }

    @Test
    void applyReadsTheDocumentedPixelsAndMirrorsExactly() {
        int n = 64;
        float[] columns = new float[3 * n * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    columns[c * n * n + y * n + x] = x + 1000 * y;
                }
            }
        }
        TrackCrop c = new TrackCrop(n, n, 32, 5, 7, 30, 20, false);
        float[] out = c.apply(columns, 3);
        for (int v = 0; v < 32; v++) {
            for (int u = 0; u < 32; u++) {
                double x = 5 + u * 29.0 / 31;
                double y = 7 + v * 19.0 / 31;
                assertEquals(x + 1000 * y, out[2 * 32 * 32 + v * 32 + u], 1e-2);
            }
        }
        float[] mirrored = new TrackCrop(n, n, 32, 5, 7, 30, 20, true).apply(columns, 3);
        for (int u = 0; u < 32; u++) {
            assertEquals(out[3 * 32 + u], mirrored[3 * 32 + 31 - u], 0);
        }
    }

    @Test
    void applyEqualsTheSamplerWithTheInverseMatrix() {
        // Cropping an image is warping it with B^-1: the pixel pipeline and the matrices agree.
        int n = 48;
        SplittableRandom rng = new SplittableRandom(3);
        float[] img = new float[n * n];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rng.nextDouble();
        }
        for (int k = 0; k < 20; k++) {
            TrackCrop c = TrackCrop.sample(rng, n, n, n, 0.08, 1.0, 0.7, 1.3, 0.5);
            float[] direct = c.apply(img, 1);
            float[] sampled = WarpGrid.of(c.matrix().inverse(), n, n).apply(img);
            for (int i = 0; i < direct.length; i++) {
                assertEquals(direct[i], sampled[i], 1e-4, "crop " + c + " at " + i);
            }
        }
    }

    @Test
    void samplingRespectsTheStrictBoundsAndFallsBackToTheWholeFrame() {
        SplittableRandom rng = new SplittableRandom(11);
        int whole = 0;
        for (int k = 0; k < 2000; k++) {
            TrackCrop c = TrackCrop.sample(rng, 256, 256, 256, 0.08, 1.0, 0.7, 1.3, 0.5);
            boolean isWhole = c.w() == 256 && c.h() == 256;
            if (isWhole) {
                whole++;
                assertEquals(0, c.x0());
            } else {
                assertTrue(c.w() < 256 && c.h() < 256);
                assertTrue(c.areaFraction() >= 0.08 * 0.9 && c.areaFraction() <= 1.0, c.toString());
            }
        }
        assertTrue(whole < 200, "fallback should be rare: " + whole);
        // A range that can never fit falls back to the whole frame.
        TrackCrop c = TrackCrop.sample(new SplittableRandom(1), 256, 256, 256, 1.0, 1.0, 0.7, 0.7, 0);
        assertEquals(256, c.w());
    }
}
