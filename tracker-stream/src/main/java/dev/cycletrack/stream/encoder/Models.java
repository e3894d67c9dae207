package dev.cycletrack.stream.encoder;

import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.ModelArtifactException;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.schemas.ModelArtifactDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The model a tracker starts with: a given artifact, else models/stfc3, else the newest under models/, else random. */
public final class Models {

    public static final String RANDOM = "random";

    private Models() {}

    /** The random encoder (core's fixed-seed baseline): {@code ModelArtifact.createRandom(0, REFLECT)}. */
    public static LoadedModel random() {
        try (ModelArtifact a = ModelArtifact.createRandom(0, PaddingMode.REFLECT)) {
            return new LoadedModel(RANDOM, a.metadata().version(), "", a.encoder());
        }
    }

    /** Loads an artifact directory (checked: checksums, architecture) and smoke-tests it. */
    public static LoadedModel load(Path dir) throws ModelArtifactException, IOException {
        try (ModelArtifact a = ModelArtifact.load(dir)) {
            var encoder = a.encoder();
            ModelSwapper.smokeTest(encoder);
            String version = a.metadata().version();
            return new LoadedModel(dir.getFileName().toString(), version, ModelArtifactDigest.of(dir), encoder);
        }
    }

    /**
     * {@code path} if given ("random" for the random encoder), else the shipped default {@code models/stfc3},
     * else the newest artifact under models/, else random.
     */
    public static LoadedModel initial(String path) throws ModelArtifactException, IOException {
        if (path != null && !path.isBlank()) {
            return path.equals(RANDOM) ? random() : load(Path.of(path));
        }
        Optional<Path> shipped = ProjectPaths.model(DEFAULT_MODEL)
                .filter(p -> Files.isRegularFile(p.resolve(ModelArtifact.METADATA_FILE)));
        if (shipped.isPresent()) {
            return load(shipped.get());
        }
        Optional<Path> newest = newestUnderModels();
        return newest.isPresent() ? load(newest.get()) : random();
    }

    /** The shipped model the tracker, the demo and the bench use when none is named. */
    public static final String DEFAULT_MODEL = "stfc3";

    static Optional<Path> newestUnderModels() throws IOException {
        Optional<Path> root = ProjectPaths.root().map(r -> r.resolve("models"));
        if (root.isEmpty() || !Files.isDirectory(root.get())) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(root.get(), 3)) {
            return walk.filter(p -> Files.isRegularFile(p.resolve(ModelArtifact.METADATA_FILE))
                            && Files.isRegularFile(p.resolve(ModelArtifact.CHECKSUM_FILE)))
                    .max(Comparator.comparingLong(
                            p -> p.resolve(ModelArtifact.METADATA_FILE).toFile().lastModified()));
        }
    }
}
