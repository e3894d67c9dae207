package dev.cycletrack.core.datasets;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.ImageFileFrames;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.image.VideoFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * A J-HMDB clip: frames (PNG files sorted by name, or a video file) and the 15 joints of each
 * annotated frame from {@code joint_positions.mat}. Joints are {@code pos_img - 1}: 0-based pixels,
 * row 0 = x, row 1 = y. Only the first T frames (T = pos_img's third dimension) are exposed, one
 * decoded at a time.
 */
public final class JhmdbClip {

    /** J-HMDB joint order. */
    public static final List<String> JOINT_NAMES = List.of(
            "neck",
            "belly",
            "face",
            "right shoulder",
            "left shoulder",
            "right hip",
            "left hip",
            "right elbow",
            "left elbow",
            "right knee",
            "left knee",
            "right wrist",
            "left wrist",
            "right ankle",
            "left ankle");

    public static final int JOINT_COUNT = 15;
    public static final String ANNOTATION_FILE = "joint_positions.mat";
    private static final List<String> VIDEO_EXTENSIONS = List.of(".avi", ".mp4", ".mkv", ".mov", ".webm");

    private final String name;
    private final List<Path> framePaths;
    private final Path video;
    private final List<List<Keypoint>> joints;
    private final int width;
    private final int height;

    private JhmdbClip(String name, List<Path> framePaths, Path video, List<List<Keypoint>> joints, int w, int h) {
        this.name = name;
        this.framePaths = framePaths;
        this.video = video;
        this.joints = joints;
        this.width = w;
        this.height = h;
    }

    /**
     * Opens a clip folder holding {@code joint_positions.mat} and either PNG frames (preferred: the
     * evaluation frames) or a single video file.
     */
    public static JhmdbClip open(Path dir) throws IOException {
        DavisDataset.requireDirectory(dir, "J-HMDB clip folder");
        if (!pngs(dir).isEmpty()) {
            return openFrames(dir);
        }
        List<Path> videos;
        try (Stream<Path> files = Files.list(dir)) {
            videos = files.filter(JhmdbClip::isVideo).sorted().toList();
        }
        if (videos.size() != 1) {
            throw new IOException("J-HMDB clip folder " + dir + " has no PNG frames and " + videos.size()
                    + " video files (expected exactly one)");
        }
        return openVideo(videos.get(0), dir.resolve(ANNOTATION_FILE));
    }

    /** A folder of PNG frames (sorted by name; the first is frame 0) plus its joint_positions.mat. */
    public static JhmdbClip openFrames(Path dir) throws IOException {
        DavisDataset.requireDirectory(dir, "J-HMDB clip folder");
        Path mat = dir.resolve(ANNOTATION_FILE);
        List<List<Keypoint>> joints = readJoints(mat);
        List<Path> pngs = pngs(dir);
        if (pngs.size() < joints.size()) {
            throw new IOException("J-HMDB clip " + dir + " has " + pngs.size() + " PNG frames but " + mat
                    + " annotates " + joints.size());
        }
        List<Path> used = pngs.subList(0, joints.size());
        RgbImage first = Images.readRgb(used.get(0));
        return new JhmdbClip(
                dir.getFileName().toString(), List.copyOf(used), null, joints, first.width(), first.height());
    }

    /** A video file whose first T decoded frames are the T annotated frames of {@code mat}. */
    public static JhmdbClip openVideo(Path video, Path mat) throws IOException {
        List<List<Keypoint>> joints = readJoints(mat);
        int w;
        int h;
        try (VideoFrames frames = VideoFrames.open(video)) {
            w = frames.width();
            h = frames.height();
        }
        return new JhmdbClip(DavisSequence.stem(video), List.of(), video, joints, w, h);
    }

    /** Reads {@code pos_img} (2 x 15 x T, 1-based) as T lists of 15 0-based keypoints. */
    public static List<List<Keypoint>> readJoints(Path mat) throws IOException {
        if (!Files.isRegularFile(mat)) {
            throw new NoSuchFileException(mat.toString(), null, "J-HMDB joint_positions.mat not found");
        }
        MatFile file;
        try {
            file = Mat5.readFromFile(mat.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read MAT file " + mat + ": " + e.getMessage(), e);
        }
        try (file) {
            Array posImg = null;
            for (MatFile.Entry e : file.getEntries()) {
                if (e.getName().equals("pos_img")) {
                    posImg = e.getValue();
                }
            }
            if (posImg == null) {
                throw new IOException(mat + " has no variable 'pos_img'");
            }
            if (!(posImg instanceof Matrix m)) {
                throw new IOException(mat + ": 'pos_img' is a " + posImg.getType() + ", expected a numeric array");
            }
            int[] dims = m.getDimensions();
            // MATLAB drops a trailing singleton dimension, so a one-frame clip is 2 x 15.
            int frames = dims.length == 2 ? 1 : dims.length == 3 ? dims[2] : -1;
            if (dims[0] != 2 || dims[1] != JOINT_COUNT || frames < 1) {
                throw new IOException(mat + ": 'pos_img' has shape " + java.util.Arrays.toString(dims)
                        + ", expected [2, 15, T] with T >= 1");
            }
            List<List<Keypoint>> out = new ArrayList<>(frames);
            int[] idx = new int[dims.length];
            for (int t = 0; t < frames; t++) {
                List<Keypoint> frame = new ArrayList<>(JOINT_COUNT);
                for (int j = 0; j < JOINT_COUNT; j++) {
                    idx[1] = j;
                    if (dims.length == 3) {
                        idx[2] = t;
                    }
                    idx[0] = 0;
                    double x = m.getDouble(idx) - 1;
                    idx[0] = 1;
                    double y = m.getDouble(idx) - 1;
                    if (!Double.isFinite(x) || !Double.isFinite(y)) {
                        throw new IOException(mat + ": 'pos_img' joint " + j + " of frame " + t + " is not finite");
                    }
                    frame.add(Keypoint.at(x, y));
                }
                out.add(List.copyOf(frame));
            }
            return List.copyOf(out);
        }
    }

    public String name() {
        return name;
    }

    /** Number of annotated frames T (the frames exposed by {@link #frames()}). */
    public int frameCount() {
        return joints.size();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The 15 ground-truth joints of frame t, 0-based pixels. */
    public List<Keypoint> joints(int t) {
        return joints.get(t);
    }

    public List<List<Keypoint>> allJoints() {
        return joints;
    }

    /** True when frames come from a video file rather than PNG files. */
    public boolean isVideo() {
        return video != null;
    }

    /** The PNG frame files (empty for a video clip). */
    public List<Path> framePaths() {
        return framePaths;
    }

    /** The annotated frames in order, decoded one at a time; close the stream when done. */
    public FrameStream frames() throws IOException {
        if (video == null) {
            return new ImageFileFrames(framePaths);
        }
        return new FirstFrames(VideoFrames.open(video), joints.size());
    }

    private static List<Path> pngs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(DavisDataset::isPng).sorted().toList();
        }
    }

    private static boolean isVideo(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && VIDEO_EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** The first n frames of a video; a video that ends sooner is an error, not a short clip. */
    private static final class FirstFrames implements FrameStream {
        private final VideoFrames video;
        private final int n;

        FirstFrames(VideoFrames video, int n) {
            this.video = video;
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return video.framesRead() < n;
        }

        @Override
        public RgbImage next() {
            if (!hasNext()) {
                throw new NoSuchElementException("all " + n + " annotated frames have been read");
            }
            if (!video.hasNext()) {
                throw new UncheckedIOException(new IOException("video " + video.file() + " ends after "
                        + video.framesRead() + " frames but " + n + " frames are annotated"));
            }
            return video.next();
        }

        @Override
        public void close() {
            video.close();
        }
    }
}
