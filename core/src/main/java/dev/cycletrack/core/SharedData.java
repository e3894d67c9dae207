package dev.cycletrack.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the team's shared folder ({@code shared/} beside the project, with {@code data/} and {@code
 * testdata/}). Looked up from {@code CYCLETRACK_SHARED}, the {@code cycletrack.shared} system property,
 * or by walking up from the working directory. Absent on machines that only have the project.
 */
public final class SharedData {

    private SharedData() {}

    public static Optional<Path> locate() {
        String configured = System.getProperty("cycletrack.shared", System.getenv("CYCLETRACK_SHARED"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isDirectory(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("testdata")) || Files.isDirectory(candidate.resolve("data"))) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** {@code shared/testdata}, if present. */
    public static Optional<Path> testdata() {
        return locate().map(p -> p.resolve("testdata")).filter(Files::isDirectory);
    }

    /** {@code shared/data}, if present. */
    public static Optional<Path> data() {
        return locate().map(p -> p.resolve("data")).filter(Files::isDirectory);
    }
}
