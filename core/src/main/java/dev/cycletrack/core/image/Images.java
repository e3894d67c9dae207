package dev.cycletrack.core.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Image I/O and conversions through OpenCV, so that decoding, colour conversion and resizing are the
 * same calls the reference baselines made ({@code imread} colour, {@code cvtColor} BGR-to-gray,
 * {@code resize} INTER_LINEAR). Mats handed out are owned by the caller, who must close them.
 */
public final class Images {

    private Images() {}

    /** Decodes an image file (JPEG, PNG, ...) as 8-bit RGB: {@code imread} colour, then BGR to RGB. */
    public static RgbImage readRgb(Path file) throws IOException {
        try (Mat bgr = readBgr(file)) {
            return fromBgrMat(bgr);
        }
    }

    /** Decodes an image file as gray exactly as the baselines do: {@code imread} colour, then BGR2GRAY. */
    public static GrayImage readGray(Path file) throws IOException {
        try (Mat bgr = readBgr(file);
                Mat gray = new Mat()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            return fromGrayMat(gray);
        }
    }

    /** {@code imread(file, IMREAD_COLOR)}: an 8-bit BGR Mat the caller must close. */
    public static Mat readBgr(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read image " + file + ": file is not readable");
        }
        Mat mat = imread(file.toString(), IMREAD_COLOR);
        if (mat == null || mat.empty()) {
            if (mat != null) {
                mat.close();
            }
            throw new IOException("cannot read image " + file + ": OpenCV could not decode it (" + Files.size(file)
                    + " bytes; not a supported or intact image file)");
        }
        return mat;
    }

    /**
     * Reads an 8-bit annotation PNG as an id map (palette indices or gray values; a 0/255 mask maps 255
     * to id 1). See {@link LabelPng#read(Path)}.
     */
    public static IdMap readAnnotation(Path file) throws IOException {
        return LabelPng.read(file);
    }

    /** An RGB image as a new 8-bit BGR Mat (OpenCV's channel order). The caller closes it. */
    public static Mat toBgrMat(RgbImage image) {
        Mat mat = new Mat(image.height(), image.width(), CV_8UC3);
        mat.data().put(image.rgb());
        cvtColor(mat, mat, COLOR_RGB2BGR);
        return mat;
    }

    /** Copies an 8-bit Mat (BGR, BGRA or gray) into an RGB image. */
    public static RgbImage fromBgrMat(Mat mat) {
        if (mat.depth() != CV_8U) {
            throw new IllegalArgumentException("expected an 8-bit Mat, got depth " + mat.depth());
        }
        int code = switch (mat.channels()) {
            case 1 -> COLOR_GRAY2RGB;
            case 3 -> COLOR_BGR2RGB;
            case 4 -> COLOR_BGRA2RGB;
            default ->
                throw new IllegalArgumentException("cannot convert a Mat with " + mat.channels() + " channels to RGB");
        };
        try (Mat rgb = new Mat()) {
            cvtColor(mat, rgb, code);
            return new RgbImage(rgb.cols(), rgb.rows(), bytes(rgb));
        }
    }

    /** A gray image as a new CV_8UC1 Mat. The caller closes it. */
    public static Mat toMat(GrayImage image) {
        Mat mat = new Mat(image.height(), image.width(), CV_8UC1);
        mat.data().put(image.gray());
        return mat;
    }

    /** Copies a CV_8UC1 Mat into a gray image. */
    public static GrayImage fromGrayMat(Mat mat) {
        if (mat.type() != CV_8UC1) {
            throw new IllegalArgumentException("expected a CV_8UC1 Mat, got type " + mat.type());
        }
        return new GrayImage(mat.cols(), mat.rows(), bytes(mat));
    }

    /** Gray conversion identical to {@code cvtColor(COLOR_BGR2GRAY)} on the BGR version of the image. */
    public static GrayImage toGray(RgbImage image) {
        try (Mat bgr = toBgrMat(image);
                Mat gray = new Mat()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            return fromGrayMat(gray);
        }
    }

    /**
     * Resizes with {@code cv2.resize(..., INTER_LINEAR)}: half-pixel centres, no antialiasing when
     * shrinking (SPEC section 0).
     */
    public static RgbImage resizeBilinear(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        // Channel order does not matter to resize, so the RGB bytes go in as they are.
        try (Mat src = new Mat(image.height(), image.width(), CV_8UC3);
                Mat dst = new Mat();
                Size size = new Size(width, height)) {
            src.data().put(image.rgb());
            resize(src, dst, size, 0, 0, INTER_LINEAR);
            return new RgbImage(dst.cols(), dst.rows(), bytes(dst));
        }
    }

    /** Lossless PNG bytes of the image. */
    public static byte[] encodePng(RgbImage image) {
        return encode(image, ".png", null);
    }

    /** JPEG bytes of the image at the given quality (0..100). */
    public static byte[] encodeJpeg(RgbImage image, int quality) {
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in 0..100, got " + quality);
        }
        return encode(image, ".jpg", new int[] {IMWRITE_JPEG_QUALITY, quality});
    }

    public static void writePng(RgbImage image, Path file) throws IOException {
        Files.write(file, encodePng(image));
    }

    public static void writeJpeg(RgbImage image, Path file, int quality) throws IOException {
        Files.write(file, encodeJpeg(image, quality));
    }

    /** Decodes encoded image bytes (JPEG, PNG, ...) to RGB, like {@link #readRgb} on a file. */
    public static RgbImage decode(byte[] encoded) throws IOException {
        if (encoded.length == 0) {
            throw new IOException("cannot decode an image from 0 bytes");
        }
        try (Mat buf = new Mat(1, encoded.length, CV_8UC1)) {
            buf.data().put(encoded);
            try (Mat bgr = imdecode(buf, IMREAD_COLOR)) {
                if (bgr == null || bgr.empty()) {
                    throw new IOException("cannot decode " + encoded.length
                            + " bytes as an image: OpenCV recognised no intact JPEG/PNG data");
                }
                return fromBgrMat(bgr);
            }
        }
    }

    private static byte[] encode(RgbImage image, String ext, int[] params) {
        try (Mat bgr = toBgrMat(image);
                BytePointer out = new BytePointer();
                IntPointer p = params == null ? new IntPointer(0L) : new IntPointer(params)) {
            if (!imencode(ext, bgr, out, p)) {
                throw new IllegalStateException(
                        "OpenCV failed to encode a " + image.width() + "x" + image.height() + " image as " + ext);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** The pixel bytes of a Mat, row-major and channel-interleaved. */
    static byte[] bytes(Mat mat) {
        if (!mat.isContinuous()) {
            try (Mat copy = mat.clone()) {
                return bytes(copy);
            }
        }
        byte[] out = new byte[Math.toIntExact(mat.total() * mat.elemSize())];
        mat.data().get(out);
        return out;
    }
}
