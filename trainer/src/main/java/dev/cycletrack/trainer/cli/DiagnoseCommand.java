package dev.cycletrack.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.image.VideoFrames;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.trainer.diagnose.Diagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack diagnose}: affinity pictures, feature PCA and the shortcut index of an encoder. */
@Command(
        name = "diagnose",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 120,
        description = {
            "Pictures and numbers that show whether an encoder's features encode appearance or position",
            "(the paper's Figures 3 and 7). Reads frames of --video, squashes them to --size x --size, encodes",
            "them (layer3, stride 8) and writes into --out:",
            "  affinity-neighbour.png   row-softmaxed affinity between frame t and frame t+gap (P x P, P = cells)",
            "  affinity-unrelated.png   the same between frame t and an unrelated frame",
            "  pca.png                  frame t beside the first three PCA components of its features (as RGB)",
            "  frames.png               the three frames used",
            "  diagnose.json            the numbers below",
            "Shortcut index = mean diagonal mass of the row-softmaxed affinity between two unrelated frames:",
            "cell i of one frame matching cell i of an unrelated frame can only come from position information",
            "(e.g. padding). Chance level = 1/P. The unrelated frame is --other (a video's first frame or an",
            "image) or, by default, the last frame of --video turned by 180 degrees, so that no cell sees",
            "the same content as in frame t."
        })
public final class DiagnoseCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model artifact directory, or 'random' for the untrained encoder (--seed, --padding).")
    String model;

    @Option(names = "--video", required = true, paramLabel = "FILE", description = "Video to read frames from.")
    Path video;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures and JSON.")
    Path out;

    @Option(names = "--other", paramLabel = "FILE", description = "Video or image giving the unrelated frame.")
    Path other;

    @Option(names = "--frame", description = "Index t of the first frame (default ${DEFAULT-VALUE}).")
    int frame = 0;

    @Option(names = "--gap", description = "Frames between the neighbouring pair (default ${DEFAULT-VALUE}).")
    int gap = 1;

    @Option(
            names = "--size",
            description = "Frames are resized to size x size (default ${DEFAULT-VALUE}: a 32x32 grid).")
    int size = 256;

    @Option(names = "--temperature", description = "tau of the row softmax (default ${DEFAULT-VALUE}).")
    double temperature = 0.05;

    @Option(names = "--seed", description = "Seed of the random encoder (--model random) (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--padding", description = "Padding of the random encoder (default ${DEFAULT-VALUE}).")
    String padding = "reflect";

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (size < 16) {
            throw new IllegalArgumentException("--size must be at least 16, got " + size);
        }
        if (frame < 0 || gap < 1) {
            throw new IllegalArgumentException("--frame must be >= 0 and --gap >= 1");
        }
        List<RgbImage> frames = readFrames(video, frame + gap + 1);
        if (frames.size() <= frame + gap) {
            throw new IOException("video " + video + " has " + frames.size() + " frames; --frame " + frame + " --gap "
                    + gap + " needs " + (frame + gap + 1));
        }
        RgbImage a = frames.get(frame);
        RgbImage b = frames.get(frame + gap);
        RgbImage c;
        String otherDescription;
        if (other != null) {
            c = readOther(other);
            otherDescription = "first frame of " + other;
        } else {
            int[] count = new int[1];
            c = Diagnostics.rotate180(lastFrame(video, count));
            otherDescription = "last frame (" + (count[0] - 1) + ") of " + video.getFileName() + ", turned 180 degrees";
        }
        a = Images.resizeBilinear(a, size, size);
        b = Images.resizeBilinear(b, size, size);
        c = Images.resizeBilinear(c, size, size);
        ModelArtifact artifact = "random".equals(model)
                ? ModelArtifact.createRandom(seed, PaddingMode.fromId(padding))
                : ModelArtifact.load(Path.of(model));
        FeatureMap fa;
        FeatureMap fb;
        FeatureMap fc;
        try (artifact;
                Encoder encoder = artifact.encoder()) {
            List<FeatureMap> f = encoder.encode(List.of(a, b, c));
            fa = f.get(0);
            fb = f.get(1);
            fc = f.get(2);
        }
        int p = fa.nodes();
        float[] neighbour = Diagnostics.rowSoftmaxAffinity(fa, fb, temperature);
        float[] unrelated = Diagnostics.rowSoftmaxAffinity(fa, fc, temperature);
        double shortcut = Diagnostics.diagonalMass(unrelated, p);
        double neighbourMass = Diagnostics.diagonalMass(neighbour, p);
        double[] explained = new double[3];
        RgbImage pca = Diagnostics.pcaImage(fa, explained);
        Files.createDirectories(out);
        Images.writePng(Diagnostics.heatMap(neighbour, p, p), out.resolve("affinity-neighbour.png"));
        Images.writePng(Diagnostics.heatMap(unrelated, p, p), out.resolve("affinity-unrelated.png"));
        int factor = Math.max(1, size / fa.width());
        Images.writePng(Diagnostics.sideBySide(a, Diagnostics.enlarge(pca, factor)), out.resolve("pca.png"));
        Images.writePng(Diagnostics.sideBySide(a, b, c), out.resolve("frames.png"));

        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("model", "random".equals(model) ? "random seed " + seed + " " + padding : model);
        json.put("model_version", artifact.metadata().version());
        json.put("padding", artifact.metadata().padding().id());
        json.put("video", video.toString());
        json.put("frame", frame);
        json.put("neighbour_frame", frame + gap);
        json.put("unrelated_frame", otherDescription);
        json.put("input_size", size);
        json.put("grid", fa.height() + "x" + fa.width());
        json.put("cells", p);
        json.put("temperature", temperature);
        json.put("shortcut_index", shortcut);
        json.put("chance", 1.0 / p);
        json.put("shortcut_over_chance", shortcut * p);
        json.put("unrelated_diagonal_argmax", Diagnostics.diagonalArgmax(unrelated, p));
        json.put("neighbour_diagonal_mass", neighbourMass);
        json.put("neighbour_diagonal_argmax", Diagnostics.diagonalArgmax(neighbour, p));
        json.putArray("pca_explained_variance")
                .add(explained[0])
                .add(explained[1])
                .add(explained[2]);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("diagnose.json").toFile(), json);
        System.out.printf(
                Locale.ROOT,
                "shortcut index %.4f (chance 1/P = %.4f, %.1fx chance) between frame %d and the %s%n",
                shortcut,
                1.0 / p,
                shortcut * p,
                frame,
                otherDescription);
        System.out.printf(
                Locale.ROOT,
                "neighbouring frames %d and %d: diagonal mass %.4f, diagonal argmax %.3f%n",
                frame,
                frame + gap,
                neighbourMass,
                Diagnostics.diagonalArgmax(neighbour, p));
        System.out.println("wrote " + out.resolve("diagnose.json") + " and pictures in " + out);
        return 0;
    }

    private static List<RgbImage> readFrames(Path file, int max) throws IOException {
        List<RgbImage> frames = new ArrayList<>();
        try (VideoFrames in = VideoFrames.open(file)) {
            while (in.hasNext() && frames.size() < max) {
                frames.add(in.next());
            }
        }
        if (frames.isEmpty()) {
            throw new IOException("video " + file + " has no decodable frame");
        }
        return frames;
    }

    private static RgbImage lastFrame(Path file, int[] count) throws IOException {
        RgbImage last = null;
        try (VideoFrames in = VideoFrames.open(file)) {
            while (in.hasNext()) {
                last = in.next();
                count[0]++;
            }
        }
        if (last == null) {
            throw new IOException("video " + file + " has no decodable frame");
        }
        return last;
    }

    private static RgbImage readOther(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".bmp")) {
            return Images.readRgb(file);
        }
        return readFrames(file, 1).get(0);
    }

    /** Registers {@code diagnose} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new DiagnoseCommand();
        }
    }
}
