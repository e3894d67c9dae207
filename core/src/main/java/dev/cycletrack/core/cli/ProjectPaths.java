package dev.cycletrack.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds folders of the project (models/, docs/) from wherever a command runs. */
public final class ProjectPaths {

    private ProjectPaths() {}

    /**
     * The project root: {@code cycletrack.home} if set (the launcher sets it), else the nearest
     * parent of the working directory holding the {@code cycletrack} launcher.
     */
    public static Optional<Path> root() {
        String home = System.getProperty("cycletrack.home");
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cycletrack")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** {@code models/<name>} in the project, if present. */
    public static Optional<Path> model(String name) {
        return root().map(r -> r.resolve("models").resolve(name)).filter(Files::isDirectory);
    }

    /** {@code docs/} in the project, or {@code ./docs} when no project root is found. */
    public static Path docs() {
        return root().map(r -> r.resolve("docs")).orElse(Path.of("docs"));
    }
}
