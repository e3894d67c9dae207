package dev.cycletrack.trainer.data;

import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.image.VideoFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The training videos, decoded once with JavaCV, resampled to a fixed frame rate and downscaled so that
 * the short side is {@code shortSide} pixels, then kept in memory (decoding is far slower than a training
 * step at small crop sizes). A video that cannot be opened or decoded, or that has fewer than {@code
 * minFrames} resampled frames, is skipped with a warning and counted; it is never fatal unless no video at
 * all is usable.
 */
public final class VideoLibrary {

    /** Extensions treated as videos when a folder is scanned. */
    public static final List<String> VIDEO_EXTENSIONS =
            List.of(".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv");

    /** One usable video: its resampled, downscaled frames. */
    public record Video(Path file, double sourceFps, List<RgbImage> frames) {
        public int frameCount() {
            return frames.size();
        }
    }

    /** A video that was skipped, and why. */
    public record Skipped(Path file, String reason) {}

    private final List<Video> videos;
    private final List<Skipped> skipped;
    private final double fps;
    private final int shortSide;

    private VideoLibrary(List<Video> videos, List<Skipped> skipped, double fps, int shortSide) {
        this.videos = List.copyOf(videos);
        this.skipped = List.copyOf(skipped);
        this.fps = fps;
        this.shortSide = shortSide;
    }

    /**
     * Lists the video files under the given paths: a file is taken as it is, a folder contributes its
     * files with a video extension (recursively), sorted by path so the order is reproducible.
     */
    public static List<Path> listVideos(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                files.add(root);
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile)
                            .filter(VideoLibrary::isVideoName)
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                throw new IOException("--videos " + root + ": no such file or folder");
            }
        }
        return files;
    }

    static boolean isVideoName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return VIDEO_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Decodes every file. {@code fps <= 0} keeps every decoded frame. {@code maxFramesPerVideo <= 0} means
     * no limit. Warnings go to {@code warn}.
     */
    public static VideoLibrary load(
            List<Path> files, double fps, int shortSide, int minFrames, int maxFramesPerVideo, Consumer<String> warn)
            throws IOException {
        List<Video> ok = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            try {
                Video v = decode(file, fps, shortSide, maxFramesPerVideo);
                if (v.frameCount() < minFrames) {
                    Skipped s = new Skipped(
                            file,
                            "too short: " + v.frameCount() + " frames at " + describeFps(fps) + ", a clip needs "
                                    + minFrames);
                    skipped.add(s);
                    warn.accept("skipping video " + file + ": " + s.reason());
                } else {
                    ok.add(v);
                }
            } catch (IOException | RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                skipped.add(new Skipped(file, "unreadable: " + reason));
                warn.accept("skipping video " + file + ": unreadable (" + reason + ")");
            }
        }
        if (ok.isEmpty()) {
            throw new IOException("no usable training video among " + files.size() + " file(s)"
                    + (skipped.isEmpty()
                            ? ""
                            : ": " + skipped.get(0).file() + " "
                                    + skipped.get(0).reason()
                                    + (skipped.size() > 1 ? " (and " + (skipped.size() - 1) + " more skipped)" : "")));
        }
        return new VideoLibrary(ok, skipped, fps, shortSide);
    }

    /** A library over frames already in memory (tests, synthetic clips). */
    public static VideoLibrary of(List<Video> videos) {
        return new VideoLibrary(videos, List.of(), 0, 0);
    }

    private static String describeFps(double fps) {
        return fps > 0 ? String.format(Locale.ROOT, "%.3g fps", fps) : "native fps";
    }

    /**
     * Decodes one video: keeps source frame floor(k * srcFps / fps) for k = 0, 1, ... (every frame when
     * {@code fps <= 0} or the source rate is unknown or lower), downscaled to the short side.
     */
    public static Video decode(Path file, double fps, int shortSide, int maxFrames) throws IOException {
        try (VideoFrames in = VideoFrames.open(file)) {
            double src = in.frameRate();
            double step = fps > 0 && Double.isFinite(src) && src > fps ? src / fps : 1.0;
            List<RgbImage> frames = new ArrayList<>();
            long nextWanted = 0;
            int k = 0;
            for (int i = 0; in.hasNext(); i++) {
                RgbImage frame = in.next();
                if (i == nextWanted) {
                    frames.add(downscale(frame, shortSide));
                    k++;
                    nextWanted = (long) Math.floor(k * step + 1e-9);
                    if (maxFrames > 0 && frames.size() >= maxFrames) {
                        break;
                    }
                }
            }
            return new Video(file, src, Collections.unmodifiableList(frames));
        }
    }

    /** Resizes so the short side is {@code shortSide} (bilinear; area averaging when shrinking a lot). */
    public static RgbImage downscale(RgbImage image, int shortSide) {
        if (shortSide <= 0) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        double scale = (double) shortSide / Math.min(w, h);
        int nw = Math.max(1, (int) Math.round(w * scale));
        int nh = Math.max(1, (int) Math.round(h * scale));
        if (nw == w && nh == h) {
            return image;
        }
        return ImageOps.resize(image, nw, nh);
    }

    public List<Video> videos() {
        return videos;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    public double fps() {
        return fps;
    }

    public int shortSide() {
        return shortSide;
    }

    public long totalFrames() {
        long n = 0;
        for (Video v : videos) {
            n += v.frameCount();
        }
        return n;
    }
}
