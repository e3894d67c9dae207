package dev.cycletrack.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @TempDir
    Path tmp;

    static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    @Test
    void bgrMatKeepsChannelOrderStraight() {
        RgbImage red = new RgbImage(1, 1, new byte[] {(byte) 255, 10, 20});
        try (Mat bgr = Images.toBgrMat(red)) {
            byte[] px = new byte[3];
            bgr.data().get(px);
            assertArrayEquals(new byte[] {20, 10, (byte) 255}, px, "OpenCV order is B, G, R");
            assertArrayEquals(red.rgb(), Images.fromBgrMat(bgr).rgb());
        }
    }

    @Test
    void pngRoundTripIsLossless() throws IOException {
        RgbImage img = random(37, 21, 1);
        RgbImage back = Images.decode(Images.encodePng(img));
        assertEquals(37, back.width());
        assertEquals(21, back.height());
        assertArrayEquals(img.rgb(), back.rgb());

        Path file = tmp.resolve("a.png");
        Images.writePng(img, file);
        assertArrayEquals(img.rgb(), Images.readRgb(file).rgb());
    }

    @Test
    void jpegRoundTripIsClose() throws IOException {
        // A smooth gradient survives JPEG at high quality to within a few levels.
        byte[] rgb = new byte[64 * 48 * 3];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int i = (y * 64 + x) * 3;
                rgb[i] = (byte) (x * 4);
                rgb[i + 1] = (byte) (y * 5);
                rgb[i + 2] = (byte) 128;
            }
        }
        RgbImage img = new RgbImage(64, 48, rgb);
        byte[] jpeg = Images.encodeJpeg(img, 95);
        assertEquals((byte) 0xFF, jpeg[0]);
        assertEquals((byte) 0xD8, jpeg[1]);
        RgbImage back = Images.decode(jpeg);
        double err = 0;
        for (int i = 0; i < rgb.length; i++) {
            err += Math.abs((rgb[i] & 0xff) - (back.rgb()[i] & 0xff));
        }
        assertTrue(err / rgb.length < 3, "mean abs error " + err / rgb.length);
    }

    @Test
    void grayMatchesCvtColorOfTheFile() throws IOException {
        Path jpg = TestVectors.requireData("davis2016/JPEGImages/480p/dog/00000.jpg");
        RgbImage rgb = Images.readRgb(jpg);
        assertEquals(854, rgb.width());
        assertEquals(480, rgb.height());
        GrayImage gray = Images.readGray(jpg);
        assertArrayEquals(gray.gray(), Images.toGray(rgb).gray());
        // BT.601 weights, to within rounding.
        int x = 400;
        int y = 300;
        double expected = 0.299 * rgb.value(x, y, 0) + 0.587 * rgb.value(x, y, 1) + 0.114 * rgb.value(x, y, 2);
        assertEquals(expected, gray.value(x, y), 1.0);
    }

    @Test
    void grayMatRoundTrip() {
        GrayImage g = new GrayImage(5, 3, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, (byte) 255});
        try (Mat m = Images.toMat(g)) {
            assertEquals(3, m.rows());
            assertEquals(5, m.cols());
            assertArrayEquals(g.gray(), Images.fromGrayMat(m).gray());
        }
    }

    @Test
    void resizeIsCvStyleBilinear() {
        RgbImage img = random(40, 30, 2);
        assertArrayEquals(img.rgb(), Images.resizeBilinear(img, 40, 30).rgb());
        for (int[] size : new int[][] {{17, 11}, {97, 64}, {40, 15}}) {
            RgbImage out = Images.resizeBilinear(img, size[0], size[1]);
            assertEquals(size[0], out.width());
            assertEquals(size[1], out.height());
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    for (int c = 0; c < 3; c++) {
                        double ref = halfPixelBilinear(img, x, y, c, size[0], size[1]);
                        // OpenCV uses 11-bit fixed-point weights for 8-bit images: off by at most 1.
                        assertEquals(ref, out.value(x, y, c), 1.0, "pixel " + x + "," + y + " to " + size[0]);
                    }
                }
            }
        }
    }

    /** SPEC section 0: s = (d + 0.5) * in / out - 0.5, clamped; no antialiasing. */
    private static double halfPixelBilinear(RgbImage img, int x, int y, int c, int outW, int outH) {
        double sx = Math.min(Math.max((x + 0.5) * img.width() / outW - 0.5, 0), img.width() - 1);
        double sy = Math.min(Math.max((y + 0.5) * img.height() / outH - 0.5, 0), img.height() - 1);
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        int x1 = Math.min(x0 + 1, img.width() - 1);
        int y1 = Math.min(y0 + 1, img.height() - 1);
        double fx = sx - x0;
        double fy = sy - y0;
        double top = img.value(x0, y0, c) * (1 - fx) + img.value(x1, y0, c) * fx;
        double bottom = img.value(x0, y1, c) * (1 - fx) + img.value(x1, y1, c) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path missing = tmp.resolve("missing.jpg");
        NoSuchFileException e1 = assertThrows(NoSuchFileException.class, () -> Images.readRgb(missing));
        assertTrue(e1.getMessage().contains("missing.jpg"), e1.getMessage());

        Path garbage = tmp.resolve("garbage.png");
        Files.writeString(garbage, "this is not an image");
        IOException e2 = assertThrows(IOException.class, () -> Images.readGray(garbage));
        assertTrue(e2.getMessage().contains("garbage.png"), e2.getMessage());

        assertThrows(IOException.class, () -> Images.decode(new byte[] {1, 2, 3}));
        assertThrows(IOException.class, () -> Images.decode(new byte[0]));
    }
}
