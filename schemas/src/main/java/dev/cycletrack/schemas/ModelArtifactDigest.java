package dev.cycletrack.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest a {@link dev.cycletrack.schemas.v1.ModelVersion} announces: SHA-256 of the artifact
 * directory's {@code checksums.sha256}, which lists the SHA-256 of every other file of the artifact.
 * Checking it and then every listed file (as core's ModelArtifact.load does) checks the whole
 * artifact.
 */
public final class ModelArtifactDigest {

    public static final String CHECKSUM_FILE = "checksums.sha256";

    private ModelArtifactDigest() {}

    public static String of(Path artifactDir) throws IOException {
        Path sums = artifactDir.resolve(CHECKSUM_FILE);
        if (!Files.isRegularFile(sums)) {
            throw new IOException(sums + ": missing (a model artifact directory has " + CHECKSUM_FILE + ")");
        }
        return sha256(Files.readAllBytes(sums));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
