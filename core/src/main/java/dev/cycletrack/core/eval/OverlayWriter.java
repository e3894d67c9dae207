package dev.cycletrack.core.eval;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes an MP4 of frames with their predicted labels drawn on top: masks tinted per object,
 * keypoints as filled dots (with the ground truth as rings where given). MPEG-4 Part 2, which the
 * LGPL FFmpeg build encodes everywhere.
 */
public final class OverlayWriter implements AutoCloseable {

    /** Object / joint colours (RGB), cycled. */
    private static final int[][] PALETTE = {
        {230, 25, 75}, {60, 180, 75}, {255, 225, 25}, {0, 130, 200}, {245, 130, 48}, {145, 30, 180},
        {70, 240, 240}, {240, 50, 230}, {210, 245, 60}, {250, 190, 212}, {0, 128, 128}, {220, 190, 255},
        {170, 110, 40}, {255, 250, 200}, {128, 0, 0}, {170, 255, 195}, {128, 128, 0}, {255, 215, 180}
    };

    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final int width;
    private final int height;

    public OverlayWriter(Path file, int width, int height, double fps) throws IOException {
        // FFmpeg prints its stream banner at INFO level; only errors belong on the user's terminal.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        this.file = file;
        // MPEG-4 needs even sizes.
        this.width = width & ~1;
        this.height = height & ~1;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        recorder = new FFmpegFrameRecorder(file.toFile(), this.width, this.height);
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps > 0 ? fps : 25);
        recorder.setVideoQuality(3);
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot open " + file + " for writing: " + e.getMessage(), e);
        }
    }

    /** Writes a frame with its mask tinted in (background untouched). */
    public void writeMask(RgbImage frame, IdMap mask) throws IOException {
        byte[] rgb = frame.rgb().clone();
        int[] ids = mask.ids();
        for (int p = 0; p < ids.length && p * 3 + 2 < rgb.length; p++) {
            if (ids[p] != 0) {
                int[] c = PALETTE[(ids[p] - 1) % PALETTE.length];
                for (int k = 0; k < 3; k++) {
                    rgb[p * 3 + k] = (byte) (((rgb[p * 3 + k] & 0xff) + c[k]) / 2);
                }
            }
        }
        write(new RgbImage(frame.width(), frame.height(), rgb));
    }

    /** Writes a frame with predicted keypoints as dots and, if given, ground truth as rings. */
    public void writeKeypoints(RgbImage frame, List<Keypoint> predicted, List<Keypoint> truth) throws IOException {
        byte[] rgb = frame.rgb().clone();
        RgbImage canvas = new RgbImage(frame.width(), frame.height(), rgb);
        int radius = Math.max(3, Math.min(frame.width(), frame.height()) / 80);
        for (int j = 0; j < predicted.size(); j++) {
            int[] c = PALETTE[j % PALETTE.length];
            if (truth != null && j < truth.size() && truth.get(j).visible()) {
                disc(canvas, truth.get(j), radius + 2, radius, new int[] {255, 255, 255});
            }
            if (predicted.get(j).visible()) {
                disc(canvas, predicted.get(j), radius, -1, c);
            }
        }
        write(canvas);
    }

    /** Fills the ring between {@code inner} (exclusive, -1 for a full disc) and {@code outer}. */
    private static void disc(RgbImage img, Keypoint k, int outer, int inner, int[] colour) {
        int cx = (int) Math.round(k.x());
        int cy = (int) Math.round(k.y());
        for (int y = cy - outer; y <= cy + outer; y++) {
            for (int x = cx - outer; x <= cx + outer; x++) {
                int d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (x < 0
                        || y < 0
                        || x >= img.width()
                        || y >= img.height()
                        || d2 > outer * outer
                        || d2 <= inner * inner) {
                    continue;
                }
                int p = (y * img.width() + x) * 3;
                for (int c = 0; c < 3; c++) {
                    img.rgb()[p + c] = (byte) colour[c];
                }
            }
        }
    }

    private void write(RgbImage image) throws IOException {
        java.awt.image.BufferedImage bi =
                new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int s = (y * image.width() + x) * 3;
                int d = (y * width + x) * 3;
                bgr[d] = image.rgb()[s + 2];
                bgr[d + 1] = image.rgb()[s + 1];
                bgr[d + 2] = image.rgb()[s];
            }
        }
        Frame frame = converter.convert(bi);
        try {
            recorder.record(frame);
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot write a frame to " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot finish " + file + ": " + e.getMessage(), e);
        }
    }
}
