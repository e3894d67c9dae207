package dev.cycletrack.trainer.publish;

import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.ModelArtifactException;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.v1.ModelVersion;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model store: a folder (local or shared) holding one artifact directory per version,
 * {@code STORE/<version>/}. Adding a version checks that the artifact loads, copies it under a
 * temporary name and renames it into place, so readers never see half a version; an existing version
 * is never overwritten.
 */
public final class ModelStore {

    private final Path root;

    public ModelStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Copies the artifact at {@code model} into the store as {@code version} (null: the version in its
     * model.json) and returns the ModelVersion record that announces it.
     */
    public ModelVersion add(Path model, String name, String version) throws IOException, ModelArtifactException {
        String v;
        Map<String, Double> metrics;
        try (ModelArtifact a = ModelArtifact.load(model)) {
            v = version != null ? version : a.metadata().version();
            metrics = a.metadata().evaluation();
        }
        if (!v.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "version '" + v + "' is not usable as a folder name (letters, digits, . _ -)");
        }
        Files.createDirectories(root);
        Path target = root.resolve(v);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(),
                    null,
                    "version " + v + " is already in the store; a version is never overwritten");
        }
        Path tmp = Files.createTempDirectory(root, "." + v + ".tmp-");
        try {
            for (String f :
                    List.of(ModelArtifact.PARAMETERS_FILE, ModelArtifact.METADATA_FILE, ModelArtifact.CHECKSUM_FILE)) {
                Files.copy(model.resolve(f), tmp.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new FileAlreadyExistsException(
                        target.toString(), null, "version " + v + " appeared in the store meanwhile; not overwritten");
            }
        } finally {
            deleteTree(tmp);
        }
        return ModelVersion.newBuilder()
                .setName(name)
                .setVersion(v)
                .setUri(target.toAbsolutePath().toUri().toString())
                // What the tracker checks before a swap: the digest of checksums.sha256, which lists
                // the digest of every other file.
                .setSha256(ModelArtifactDigest.of(target))
                .setCreatedMs(System.currentTimeMillis())
                .putAllMetrics(metrics)
                .build();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
