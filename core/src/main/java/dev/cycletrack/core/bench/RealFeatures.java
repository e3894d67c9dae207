package dev.cycletrack.core.bench;

import dev.cycletrack.core.SharedData;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.datasets.DavisDataset;
import dev.cycletrack.core.datasets.DavisSequence;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.ModelArtifactException;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.tensor.FeatureMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The propagation benchmark's real inputs: a model's features of the shipped J-HMDB sample clip, at
 * 320x320 (the pose grid, 40x40) and at 854x480 (the DAVIS grid, 60x107). Real features matter to
 * the timing: frame-0 pruning works because they concentrate in few directions, which random
 * vectors do not.
 */
final class RealFeatures {

    static final RealFeatures NONE = new RealFeatures(null, null, null, "synthetic unit features");

    private final Path clip;
    private final Path modelDir;
    private final String modelName;
    private final String description;

    private RealFeatures(Path clip, Path modelDir, String modelName, String description) {
        this.clip = clip;
        this.modelDir = modelDir;
        this.modelName = modelName;
        this.description = description;
    }

    /** The sample and the model ({@code model}, else the project's models/stfc3); NONE if either is missing. */
    static RealFeatures load(Path model) {
        Optional<Path> clip = Samples.jhmdbCatch();
        Optional<Path> dir = model != null ? Optional.of(model) : ProjectPaths.model("stfc3");
        if (clip.isEmpty() || dir.isEmpty()) {
            System.err.println("no shipped sample clip or model found: timing propagation on random unit features");
            return NONE;
        }
        String name = dir.get().getFileName().toString();
        return new RealFeatures(
                clip.get(),
                dir.get(),
                name,
                "model " + name
                        + " on the shipped J-HMDB sample clip (40 frames, 320x240, squashed to the input size)");
    }

    String describe() {
        return description;
    }

    /** Features at the pose input (320x320). */
    Optional<PropagationBenchmark> pose(PropagationParams params) throws IOException {
        return benchmark(320, 320, Integer.MAX_VALUE, 16, params, 2);
    }

    /**
     * Features at the DAVIS grid (854x480, 60x107 cells), m+4 frames (enough for the steady state): of
     * DAVIS "blackswan" where shared/data is found, else of the sample clip upscaled to 854x480.
     */
    Optional<PropagationBenchmark> davis(PropagationParams params) throws IOException {
        int frames = params.contextLength() + 4;
        Optional<Path> davisRoot =
                SharedData.data().map(d -> d.resolve("davis2016")).filter(Files::isDirectory);
        if (clip == null || davisRoot.isEmpty()) {
            return benchmark(854, 480, frames, 2, params, 1);
        }
        DavisSequence sequence = DavisDataset.open(davisRoot.get()).sequence(DAVIS_SEQUENCE);
        List<FeatureMap> maps = encode(
                "DAVIS " + DAVIS_SEQUENCE,
                sequence.frames(0, Math.min(frames, sequence.frameCount())),
                854,
                480,
                frames);
        return Optional.of(PropagationBenchmark.real(
                maps,
                2,
                params,
                1,
                "model " + modelName + " on DAVIS " + DAVIS_SEQUENCE + " (" + maps.size() + " frames, 854x480)"));
    }

    private static final String DAVIS_SEQUENCE = "blackswan";

    private Optional<PropagationBenchmark> benchmark(
            int width, int height, int maxFrames, int labelChannels, PropagationParams params, long seed)
            throws IOException {
        if (clip == null) {
            return Optional.empty();
        }
        List<FeatureMap> maps = encode("the sample clip", JhmdbClip.open(clip).frames(), width, height, maxFrames);
        return Optional.of(PropagationBenchmark.real(
                maps, labelChannels, params, seed, description.replace(" (40 frames", " (" + maps.size() + " frames")));
    }

    /** The model's features of at most {@code maxFrames} frames, each resized to width x height; closes them. */
    private List<FeatureMap> encode(String what, FrameStream frames, int width, int height, int maxFrames)
            throws IOException {
        List<FeatureMap> maps = new ArrayList<>();
        try (frames;
                ModelArtifact artifact = ModelArtifact.load(modelDir);
                Encoder encoder = artifact.encoder()) {
            System.err.printf("encoding %s at %dx%d with %s%n", what, width, height, modelName);
            while (frames.hasNext() && maps.size() < maxFrames) {
                maps.add(encoder.encode(Images.resizeBilinear(frames.next(), width, height)));
            }
        } catch (ModelArtifactException e) {
            throw new IOException(e.getMessage(), e);
        }
        return maps;
    }
}
