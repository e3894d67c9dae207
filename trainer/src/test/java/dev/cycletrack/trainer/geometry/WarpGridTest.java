package dev.cycletrack.trainer.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SPEC 3.2's worked examples, exactly. */
class WarpGridTest {

    private static final TrackCrop FULL = TrackCrop.whole(256, 256, 256);
    private static final TrackCrop LEFT_HALF = new TrackCrop(256, 256, 256, 0, 0, 128, 256, false);
    private static final TrackCrop RIGHT_HALF = new TrackCrop(256, 256, 256, 128, 0, 128, 256, false);
    private static final TrackCrop FULL_FLIPPED = new TrackCrop(256, 256, 256, 0, 0, 256, 256, true);

    /** A 4x8 map whose value is its own column index. */
    private static float[] columnMap() {
        float[] map = new float[4 * 8];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 8; j++) {
                map[i * 8 + j] = j;
            }
        }
        return map;
    }

    private static float[] row(float[] map, int r) {
        float[] out = new float[8];
        System.arraycopy(map, r * 8, out, 0, 8);
        return out;
    }

    @Test
    void setup1ForwardFullBackwardLeftHalf() {
        Affine theta = Affine.samplerTheta(FULL.matrix(), LEFT_HALF.matrix());
        assertEquals(127.0 / 255, theta.get(0, 0), 1e-12);
        assertEquals(-128.0 / 255, theta.get(0, 2), 1e-12);
        assertEquals(1, theta.get(1, 1), 1e-12);
        WarpGrid g = WarpGrid.of(theta, 4, 8);
        float[] out = g.apply(columnMap());
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(
                    new float[] {0, 0.498f, 0.996f, 1.494f, 1.992f, 2.490f, 2.988f, 3.486f}, row(out, r), 6e-4f);
        }
        for (float m : g.mask()) {
            assertEquals(1f, m);
        }
        WarpGrid big = WarpGrid.of(theta, 32, 32);
        assertEquals(0, big.sourceX(0), 1e-9);
        assertEquals(7.97, big.sourceX(16), 5e-3);
        assertEquals(15.44, big.sourceX(31), 5e-3);
        for (float m : big.mask()) {
            assertEquals(1f, m);
        }
    }

    @Test
    void setup2ForwardRightHalfBackwardFull() {
        Affine theta = Affine.samplerTheta(RIGHT_HALF.matrix(), FULL.matrix());
        assertEquals(255.0 / 127, theta.get(0, 0), 1e-12);
        assertEquals(-128.0 / 127, theta.get(0, 2), 1e-12);
        WarpGrid g = WarpGrid.of(theta, 4, 8);
        float[] out = g.apply(columnMap());
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(new float[] {0, 0, 0, 0, 0.976f, 2.984f, 4.992f, 7.0f}, row(out, r), 6e-4f);
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, row(g.mask(), r), 0f);
        }
        WarpGrid big = WarpGrid.of(theta, 32, 32);
        assertEquals(-1.13, big.sourceX(15), 5e-3);
        assertEquals(0.88, big.sourceX(16), 5e-3);
        assertEquals(31.0, big.sourceX(31), 1e-9);
        float[] mask = big.mask();
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                assertEquals(j >= 16 ? 1f : 0f, mask[i * 32 + j], "cell " + i + "," + j);
            }
        }
    }

    @Test
    void flippedForwardTrackReversesColumns() {
        Affine theta = Affine.samplerTheta(FULL_FLIPPED.matrix(), FULL.matrix());
        assertTrue(theta.approxEquals(Affine.of2x3(-1, 0, 0, 0, 1, 0), 1e-12));
        float[] out = WarpGrid.of(theta, 4, 8).apply(columnMap());
        assertArrayEquals(new float[] {7, 6, 5, 4, 3, 2, 1, 0}, row(out, 2), 1e-5f);
    }

    @Test
    void identityThetaIsTheIdentityWarp() {
        float[] map = new float[6 * 5];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) Math.sin(i * 1.7);
        }
        WarpGrid g = WarpGrid.of(Affine.IDENTITY, 6, 5);
        assertArrayEquals(map, g.apply(map), 1e-6f);
        for (float m : g.mask()) {
            assertEquals(1f, m);
        }
    }

    @Test
    void thePushDirectionMisalignsOverlappingCrops() {
        // Feeding B_b * B_f^-1 (the paper's push map) to the sampler reads the wrong place.
        Affine right = Affine.samplerTheta(RIGHT_HALF.matrix(), FULL.matrix());
        Affine wrong = LEFT_HALF.matrix().times(FULL.matrix().inverse());
        Affine theta2 = Affine.samplerTheta(FULL.matrix(), LEFT_HALF.matrix());
        double worst = 0;
        for (int j = 0; j < 32; j++) {
            double xn = -1 + 2.0 * j / 31;
            worst = Math.max(worst, Math.abs(theta2.apply(xn, 0)[0] - wrong.apply(xn, 0)[0]));
        }
        assertTrue(worst > 0.9, "push and pull should differ by up to ~1 normalised unit, got " + worst);
        assertTrue(right.get(0, 0) > 1);
    }

    @Test
    void maskIsStrictlyAboveOneHalf() {
        // Shift so that column 0 reads cx = -0.5: the warped map of ones is exactly 0.5 there -> masked out.
        int w = 8;
        Affine theta = Affine.of2x3(1, 0, -1.0 / (w - 1), 0, 1, 0);
        WarpGrid g = WarpGrid.of(theta, 4, w);
        assertEquals(-0.5, g.sourceX(0), 1e-12);
        assertEquals(0.5f, g.warpedOnes()[0], 1e-6f);
        assertEquals(0f, g.mask()[0]);
        assertEquals(1f, g.mask()[1]);
        // cx in (31, 32) gives 32 - cx: just past the far edge, 31.4 -> 0.6 kept, 31.6 -> 0.4 dropped.
        WarpGrid far = WarpGrid.of(Affine.of2x3(1, 0, 0.4 * 2 / 31, 0, 1, 0), 32, 32);
        assertEquals(0.6f, far.warpedOnes()[31], 1e-5f);
        assertEquals(1f, far.mask()[31]);
        WarpGrid farther = WarpGrid.of(Affine.of2x3(1, 0, 0.6 * 2 / 31, 0, 1, 0), 32, 32);
        assertEquals(0.4f, farther.warpedOnes()[31], 1e-5f);
        assertEquals(0f, farther.mask()[31]);
    }
}
