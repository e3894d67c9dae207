package dev.cycletrack.core.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shipped {@code samples/} folder (the J-HMDB sample clip used by tests and the
 * demo where the shared data is absent): the {@code cycletrack.samples} system property, else the
 * first {@code samples/} found walking up from the working directory.
 */
public final class Samples {

    /** Folder of the shipped J-HMDB "catch" clip (video + joint_positions.mat). */
    public static final String JHMDB_CATCH = "jhmdb/Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2";

    private Samples() {}

    public static Optional<Path> locate() {
        String configured = System.getProperty("cycletrack.samples");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isDirectory(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("samples");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code samples/jhmdb/Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2} (a data root for eval --root samples), if present. */
    public static Optional<Path> jhmdbCatch() {
        return locate().map(p -> p.resolve(JHMDB_CATCH)).filter(Files::isDirectory);
    }
}
