package dev.cycletrack.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes a video file frame by frame with FFmpeg into RGB images. Only the frame being returned is
 * held, so memory stays bounded for any clip length. Close it (try-with-resources) to free the decoder.
 */
public final class VideoFrames implements FrameStream {

    static {
        // FFmpeg's informational chatter would otherwise go to stderr for every file opened.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final Path file;
    private final FFmpegFrameGrabber grabber;
    private final int width;
    private final int height;
    private RgbImage lookahead;
    private boolean ended;
    private int delivered;

    private VideoFrames(Path file, FFmpegFrameGrabber grabber) {
        this.file = file;
        this.grabber = grabber;
        this.width = grabber.getImageWidth();
        this.height = grabber.getImageHeight();
    }

    /** Opens a video; throws naming the file when it is missing or FFmpeg cannot open it. */
    @SuppressWarnings("resource") // the grabber is owned by the returned VideoFrames
    public static VideoFrames open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "video file not found");
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            grabber.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(grabber);
            throw new IOException("cannot open video " + file + ": " + e.getMessage(), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new IOException("cannot open video " + file + ": no video stream found");
        }
        return new VideoFrames(file, grabber);
    }

    public Path file() {
        return file;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames per second as the container states it, or NaN when unknown. */
    public double frameRate() {
        double fps = grabber.getFrameRate();
        return fps > 0 && Double.isFinite(fps) ? fps : Double.NaN;
    }

    /**
     * The frame count the container reports (often estimated from duration x rate), if any; the number
     * actually decodable can differ.
     */
    public OptionalInt frameCountHint() {
        int n = grabber.getLengthInFrames();
        return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
    }

    /** Frames returned by {@link #next()} so far. */
    public int framesRead() {
        return delivered;
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null && !ended) {
            lookahead = grab();
            ended = lookahead == null;
        }
        return lookahead != null;
    }

    @Override
    public RgbImage next() {
        if (!hasNext()) {
            throw new NoSuchElementException("video " + file + " has no frame after frame " + delivered);
        }
        RgbImage frame = lookahead;
        lookahead = null;
        delivered++;
        return frame;
    }

    @Override
    public void close() {
        ended = true;
        lookahead = null;
        closeQuietly(grabber);
    }

    private RgbImage grab() {
        try {
            Frame frame = grabber.grabImage();
            return frame == null ? null : toRgb(frame);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException(
                    "cannot decode frame " + delivered + " of video " + file + ": " + e.getMessage(), e));
        }
    }

    private RgbImage toRgb(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        if (frame.imageChannels != 3 || frame.image == null || !(frame.image[0] instanceof ByteBuffer)) {
            throw new IllegalStateException(
                    "expected packed 8-bit RGB frames, got " + frame.imageChannels + " channel(s)");
        }
        // The grabber reuses its buffer, so the pixels are copied out row by row (rows may be padded).
        ByteBuffer buf = ((ByteBuffer) frame.image[0]).duplicate();
        int stride = frame.imageStride;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            buf.position(y * stride);
            buf.get(rgb, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (IOException | RuntimeException e) {
            // Nothing useful to do: the decoder is being discarded either way.
        }
    }
}
