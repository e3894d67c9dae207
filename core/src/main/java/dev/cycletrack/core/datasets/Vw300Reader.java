package dev.cycletrack.core.datasets;

import dev.cycletrack.core.codec.Keypoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * 300VW face landmarks. A clip folder holds {@code vid.avi} and {@code annot/NNNNNN.pts}, one file per
 * frame (1-based numbering). A .pts file is {@code version: 1}, {@code n_points: N}, a line with an
 * opening brace, N lines of "x y", and a closing brace. Coordinates are returned as written; the iBUG/menpo convention
 * treats them as 1-based, which {@link #readPtsZeroBased} undoes (unverified for 300VW, SPEC 4.4).
 */
public final class Vw300Reader {

    public static final int LANDMARKS = 68;

    private Vw300Reader() {}

    /** A 300VW clip: its video and its per-frame annotation files in frame order. */
    public record Clip(String name, Path video, List<Path> annotations) {}

    public static Clip openClip(Path dir) throws IOException {
        DavisDataset.requireDirectory(dir, "300VW clip folder");
        Path video = dir.resolve("vid.avi");
        if (!Files.isRegularFile(video)) {
            throw new NoSuchFileException(video.toString(), null, "300VW video not found");
        }
        Path annot = dir.resolve("annot");
        DavisDataset.requireDirectory(annot, "300VW annot folder");
        List<Path> pts;
        try (Stream<Path> files = Files.list(annot)) {
            pts = files.filter(p -> p.getFileName().toString().endsWith(".pts"))
                    .sorted()
                    .toList();
        }
        if (pts.isEmpty()) {
            throw new IOException("300VW annot folder " + annot + " has no .pts files");
        }
        return new Clip(dir.getFileName().toString(), video, pts);
    }

    /** The points of a .pts file exactly as written. */
    public static List<Keypoint> readPts(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, ".pts file not found");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int i = 0;
        int n = -1;
        // Header: "key: value" lines up to the opening brace; only n_points matters.
        for (; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("version")) {
                continue;
            }
            if (line.equals("{")) {
                break;
            }
            if (line.startsWith("n_points")) {
                n = parseCount(file, i, line);
            } else {
                throw new IOException(where(file, i) + ": unexpected header line '" + line + "'");
            }
        }
        if (n < 0) {
            throw new IOException(file + ": no 'n_points:' line before the '{' block");
        }
        if (i == lines.size()) {
            throw new IOException(file + ": no '{' opening the point block");
        }
        List<Keypoint> points = new ArrayList<>(n);
        for (i++; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("}")) {
                break;
            }
            String[] xy = line.split("\\s+");
            if (xy.length != 2) {
                throw new IOException(where(file, i) + ": expected 'x y', got '" + line + "'");
            }
            try {
                points.add(Keypoint.at(Double.parseDouble(xy[0]), Double.parseDouble(xy[1])));
            } catch (NumberFormatException e) {
                throw new IOException(where(file, i) + ": not a number in '" + line + "'");
            }
        }
        if (i == lines.size()) {
            throw new IOException(file + ": the point block is not closed by '}'");
        }
        for (i++; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                throw new IOException(where(file, i) + ": unexpected text after '}'");
            }
        }
        if (points.size() != n) {
            throw new IOException(file + ": n_points says " + n + " but the block holds " + points.size() + " points");
        }
        return List.copyOf(points);
    }

    /** The points of a .pts file shifted by -1 to 0-based pixels. */
    public static List<Keypoint> readPtsZeroBased(Path file) throws IOException {
        return readPts(file).stream()
                .map(p -> Keypoint.at(p.x() - 1, p.y() - 1))
                .toList();
    }

    private static int parseCount(Path file, int line, String text) throws IOException {
        int colon = text.indexOf(':');
        String value = colon < 0 ? "" : text.substring(colon + 1).strip();
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(where(file, line) + ": bad point count in '" + text + "'");
        }
    }

    private static String where(Path file, int line) {
        return file + ", line " + (line + 1);
    }
}
