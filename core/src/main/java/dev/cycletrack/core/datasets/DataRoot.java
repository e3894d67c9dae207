package dev.cycletrack.core.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@code --root} folder laid out like the shared data: {@code davis2016/}, {@code badja/}, {@code
 * jhmdb/<clip>/} and optionally {@code 300VW/<clip>/}. Each dataset is optional; one that is present
 * but malformed is an error naming what is wrong.
 */
public final class DataRoot {

    public static final String DAVIS = "davis2016";
    public static final String BADJA = "badja";
    public static final String JHMDB = "jhmdb";
    public static final String VW300 = "300VW";

    private final Path root;

    private DataRoot(Path root) {
        this.root = root;
    }

    public static DataRoot open(Path root) throws IOException {
        DavisDataset.requireDirectory(root, "data root folder");
        return new DataRoot(root.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    public Optional<DavisDataset> davis() throws IOException {
        Path dir = root.resolve(DAVIS);
        return Files.isDirectory(dir) ? Optional.of(DavisDataset.open(dir)) : Optional.empty();
    }

    /** BADJA needs the DAVIS frames too, so it is present only when both folders are. */
    public Optional<BadjaDataset> badja() throws IOException {
        Path dir = root.resolve(BADJA);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        DavisDataset davis = davis().orElseThrow(() -> new IOException(
                "BADJA folder " + dir + " found but no " + DAVIS + "/ beside it to take the frames from"));
        return Optional.of(BadjaDataset.open(dir, davis));
    }

    /** J-HMDB clip folders (those holding joint_positions.mat), sorted; empty when there is no jhmdb/. */
    public List<Path> jhmdbClips() throws IOException {
        return clipFolders(root.resolve(JHMDB), JhmdbClip.ANNOTATION_FILE);
    }

    /** 300VW clip folders (those holding an annot/ folder), sorted; empty when there is no 300VW/. */
    public List<Path> vw300Clips() throws IOException {
        return clipFolders(root.resolve(VW300), "annot");
    }

    private static List<Path> clipFolders(Path dir, String marker) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                if (Files.isDirectory(p) && Files.exists(p.resolve(marker))) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
