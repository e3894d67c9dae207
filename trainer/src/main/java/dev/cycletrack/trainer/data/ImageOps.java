package dev.cycletrack.trainer.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import dev.cycletrack.core.image.RgbImage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Small pixel operations on 8-bit RGB images used by the clip pipeline. */
public final class ImageOps {

    private ImageOps() {}

    /**
     * Resizes like PIL's bilinear filter would for training crops: OpenCV INTER_LINEAR when enlarging or
     * shrinking a little, INTER_AREA (a low-pass box filter, close to PIL's antialiased bilinear) when
     * shrinking by more than 1.5x.
     */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        boolean shrinkALot = width * 1.5 < image.width() || height * 1.5 < image.height();
        try (Mat src = new Mat(image.height(), image.width(), CV_8UC3);
                Mat dst = new Mat();
                Size size = new Size(width, height)) {
            src.data().put(image.rgb());
            org.bytedeco.opencv.global.opencv_imgproc.resize(
                    src, dst, size, 0, 0, shrinkALot ? INTER_AREA : INTER_LINEAR);
            byte[] out = new byte[width * height * 3];
            dst.data().get(out);
            return new RgbImage(width, height, out);
        }
    }

    /** The box [x0, x0+w) x [y0, y0+h) as a new image. */
    public static RgbImage crop(RgbImage image, int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > image.width() || y0 + h > image.height()) {
            throw new IllegalArgumentException("crop (" + x0 + ", " + y0 + ", " + w + "x" + h + ") outside a "
                    + image.width() + "x" + image.height() + " image");
        }
        byte[] src = image.rgb();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, ((y0 + y) * image.width() + x0) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** Planar floats in 0..1: channel c, row y, column x at {@code c*H*W + y*W + x}. */
    public static float[] toPlanes(RgbImage image) {
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int i = 0; i < plane; i++) {
            out[i] = (rgb[3 * i] & 0xff) / 255f;
            out[plane + i] = (rgb[3 * i + 1] & 0xff) / 255f;
            out[2 * plane + i] = (rgb[3 * i + 2] & 0xff) / 255f;
        }
        return out;
    }

    /** Planar floats in 0..1 back to 8-bit RGB (rounded, clamped). */
    public static RgbImage fromPlanes(float[] planes, int width, int height) {
        int plane = width * height;
        if (planes.length != 3 * plane) {
            throw new IllegalArgumentException("expected 3x" + height + "x" + width + " values");
        }
        byte[] out = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int v = Math.round(planes[c * plane + i] * 255f);
                out[3 * i + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(width, height, out);
    }
}
