package dev.cycletrack.core.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A DAVIS folder at 480p: {@code root/JPEGImages/480p/<seq>/*.jpg} and {@code
 * root/Annotations/480p/<seq>/*.png}. Only paths are listed here; frames and masks are decoded on
 * demand by {@link DavisSequence}, so a sequence is never held in memory whole.
 */
public final class DavisDataset {

    public static final String RESOLUTION = "480p";

    private final Path root;
    private final Path images;
    private final Path annotations;

    private DavisDataset(Path root) {
        this.root = root;
        this.images = root.resolve("JPEGImages").resolve(RESOLUTION);
        this.annotations = root.resolve("Annotations").resolve(RESOLUTION);
    }

    /** Opens a DAVIS root, checking that both 480p folders exist. */
    public static DavisDataset open(Path root) throws IOException {
        DavisDataset d = new DavisDataset(root);
        requireDirectory(root, "DAVIS root folder");
        requireDirectory(d.images, "DAVIS frame folder");
        requireDirectory(d.annotations, "DAVIS annotation folder");
        return d;
    }

    public Path root() {
        return root;
    }

    /** Sequences that have both frames and at least one annotation PNG, sorted by name. */
    public List<String> sequences() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(annotations)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (Files.isDirectory(dir)
                        && Files.isDirectory(images.resolve(name))
                        && !list(dir, DavisDataset::isPng).isEmpty()) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** Lists one sequence's frames and annotations (paths only). */
    public DavisSequence sequence(String name) throws IOException {
        Path frameDir = images.resolve(name);
        Path annotationDir = annotations.resolve(name);
        requireDirectory(frameDir, "frame folder of DAVIS sequence '" + name + "'");
        requireDirectory(annotationDir, "annotation folder of DAVIS sequence '" + name + "'");
        List<Path> frames = list(frameDir, DavisDataset::isJpeg);
        if (frames.isEmpty()) {
            throw new IOException("DAVIS sequence '" + name + "' has no .jpg frames in " + frameDir);
        }
        return new DavisSequence(name, frames, list(annotationDir, DavisDataset::isPng));
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(filter).sorted().toList();
        }
    }

    static boolean isJpeg(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    static boolean isPng(Path p) {
        return Files.isRegularFile(p)
                && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png");
    }

    static void requireDirectory(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, what + " not found");
        }
    }
}
