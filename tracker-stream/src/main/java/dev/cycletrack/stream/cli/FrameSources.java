package dev.cycletrack.stream.cli;

import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.ImageFileFrames;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.image.VideoFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Opens what {@code ingest --source} names: a video file, a folder of images, an rtsp:// URL or a camera. */
final class FrameSources {

    /** Frames plus the source's frame rate (NaN when unknown). */
    record Source(FrameStream frames, double fps) {}

    private FrameSources() {}

    static Source open(String source) throws IOException {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.contains("://") || source.startsWith("/dev/video")) {
            return grab(source);
        }
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            List<Path> images;
            try (Stream<Path> files = Files.list(p)) {
                images = files.filter(f -> {
                            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                            return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
                        })
                        .sorted()
                        .toList();
            }
            if (images.isEmpty()) {
                throw new IOException("source folder " + p + " holds no .jpg/.jpeg/.png images");
            }
            return new Source(new ImageFileFrames(images), Double.NaN);
        }
        VideoFrames v = VideoFrames.open(p);
        return new Source(v, v.frameRate());
    }

    /** A live source through FFmpeg (rtsp, http, v4l2 camera). */
    private static Source grab(String source) throws IOException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(source);
        if (source.startsWith("/dev/video")) {
            g.setFormat("video4linux2");
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            g.start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot open source " + source + ": " + e.getMessage(), e);
        }
        double fps = g.getFrameRate() > 0 ? g.getFrameRate() : Double.NaN;
        FrameStream frames = new FrameStream() {
            RgbImage next;
            boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    try {
                        Frame f = g.grabImage();
                        if (f == null) {
                            ended = true;
                        } else {
                            next = toRgb(f);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(
                                new IOException("cannot read from " + source + ": " + e.getMessage(), e));
                    }
                }
                return next != null;
            }

            @Override
            public RgbImage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(source + " has ended");
                }
                RgbImage r = next;
                next = null;
                return r;
            }

            @Override
            public void close() {
                try {
                    g.close();
                } catch (IOException e) {
                    // discarded
                }
            }
        };
        return new Source(frames, fps);
    }

    private static RgbImage toRgb(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer buf = ((ByteBuffer) frame.image[0]).duplicate();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            buf.position(y * frame.imageStride);
            buf.get(rgb, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }
}
