package dev.cycletrack.core.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cycletrack.core.codec.Keypoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * BADJA joint annotations ({@code badja/joint_annotations/<seq>.json}) on top of the 480p DAVIS frames
 * of the {@code davis2016/} folder beside it. The json's Full-Resolution paths are mapped by sequence
 * folder and file name; joints, stored as [row, col] in 1920x1080 pixels, become 480p (x, y) =
 * (col, row) * (480/1080), in double, with no half-pixel shift (BASELINES.md, "BADJA PCK").
 */
public final class BadjaDataset {

    /** The SMAL joints BADJA's own loader keeps ({@code annotated_classes}); all others are dropped. */
    public static final List<Integer> JOINTS =
            List.of(8, 9, 10, 12, 13, 14, 15, 18, 19, 20, 22, 23, 24, 25, 28, 31, 32, 33, 35, 36);

    /** Entries per frame in the json's {@code joints} and {@code visibility}. */
    public static final int SMAL_JOINT_COUNT = 37;

    /** Full-Resolution (1080 rows) to 480p, the same factor on both axes. */
    public static final double SCALE_TO_480P = 480.0 / 1080.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path annotationDir;
    private final DavisDataset davis;

    private BadjaDataset(Path annotationDir, DavisDataset davis) {
        this.annotationDir = annotationDir;
        this.davis = davis;
    }

    /** Opens {@code badjaRoot/joint_annotations} with the frames of {@code davis2016/} beside badjaRoot. */
    public static BadjaDataset open(Path badjaRoot) throws IOException {
        Path sibling = badjaRoot.toAbsolutePath().resolveSibling("davis2016");
        return open(badjaRoot, DavisDataset.open(sibling));
    }

    public static BadjaDataset open(Path badjaRoot, DavisDataset davis) throws IOException {
        Path dir = badjaRoot.resolve("joint_annotations");
        DavisDataset.requireDirectory(dir, "BADJA joint_annotations folder");
        return new BadjaDataset(dir, davis);
    }

    public DavisDataset davis() {
        return davis;
    }

    /** Names of the json files (without .json), sorted. */
    public List<String> sequences() throws IOException {
        try (Stream<Path> files = Files.list(annotationDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        }
    }

    /** Parses one sequence's json and maps its frames onto the 480p DAVIS files. */
    public BadjaSequence sequence(String name) throws IOException {
        Path file = annotationDir.resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "BADJA annotation json not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException("malformed JSON in " + file + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IOException(file + ": expected a non-empty JSON list of per-frame records");
        }
        Map<String, DavisSequence> sequences = new HashMap<>();
        List<BadjaFrame> frames = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            frames.add(parseFrame(file, i, root.get(i), sequences));
        }
        if (sequences.size() != 1) {
            throw new IOException(file + ": records refer to several DAVIS sequences " + sequences.keySet());
        }
        frames.sort(Comparator.comparingInt(BadjaFrame::index));
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).index() == frames.get(i - 1).index()) {
                throw new IOException(file + ": frame " + frames.get(i).frame() + " is annotated twice");
            }
        }
        return new BadjaSequence(name, sequences.values().iterator().next(), frames);
    }

    private BadjaFrame parseFrame(Path file, int i, JsonNode rec, Map<String, DavisSequence> sequences)
            throws IOException {
        String where = file + ", record " + i;
        if (rec == null || !rec.isObject()) {
            throw new IOException(where + ": expected a JSON object");
        }
        Path imagePath = Path.of(text(rec, "image_path", where));
        Path segPath = Path.of(text(rec, "segmentation_path", where));
        if (imagePath.getNameCount() < 2) {
            throw new IOException(where + ": image_path '" + imagePath + "' has no sequence folder");
        }
        String seqName = imagePath.getParent().getFileName().toString();
        String stem = DavisSequence.stem(imagePath);
        if (!DavisSequence.stem(segPath).equals(stem)) {
            throw new IOException(
                    where + ": segmentation_path '" + segPath + "' is not the mask of image_path '" + imagePath + "'");
        }
        DavisSequence seq = sequences.get(seqName);
        if (seq == null) {
            try {
                seq = davis.sequence(seqName);
            } catch (IOException e) {
                throw new IOException(where + ": DAVIS sequence '" + seqName + "' not available: " + e.getMessage(), e);
            }
            sequences.put(seqName, seq);
        }
        int index = seq.indexOf(stem)
                .orElseThrow(() -> new IOException(
                        where + ": no 480p frame " + stem + " in DAVIS sequence '" + seqName + "' for " + imagePath));
        Path mask = seq.annotationPath(index)
                .orElseThrow(() -> new IOException(
                        where + ": no 480p annotation " + stem + ".png in DAVIS sequence '" + seqName + "'"));

        JsonNode joints = array(rec, "joints", where);
        JsonNode visibility = array(rec, "visibility", where);
        List<Keypoint> kept = new ArrayList<>(JOINTS.size());
        for (int j : JOINTS) {
            JsonNode rc = joints.get(j);
            if (!rc.isArray()
                    || rc.size() != 2
                    || !rc.get(0).isNumber()
                    || !rc.get(1).isNumber()) {
                throw new IOException(where + ": joint " + j + " is not a [row, col] pair of numbers: " + rc);
            }
            if (visible(visibility.get(j), where, j)) {
                double row = rc.get(0).asDouble();
                double col = rc.get(1).asDouble();
                kept.add(Keypoint.at(col * SCALE_TO_480P, row * SCALE_TO_480P));
            } else {
                kept.add(Keypoint.INVISIBLE);
            }
        }
        return new BadjaFrame(stem, index, seq.framePath(index), mask, kept);
    }

    private static String text(JsonNode rec, String field, String where) throws IOException {
        JsonNode v = rec.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException(where + ": missing or non-text field '" + field + "'");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode rec, String field, String where) throws IOException {
        JsonNode v = rec.get(field);
        if (v == null || !v.isArray() || v.size() != SMAL_JOINT_COUNT) {
            throw new IOException(where + ": field '" + field + "' must be a list of " + SMAL_JOINT_COUNT
                    + " entries, got " + (v == null ? "nothing" : v.isArray() ? v.size() + " entries" : v.toString()));
        }
        return v;
    }

    private static boolean visible(JsonNode v, String where, int joint) throws IOException {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isInt() && (v.asInt() == 0 || v.asInt() == 1)) {
            return v.asInt() == 1;
        }
        throw new IOException(where + ": visibility of joint " + joint + " is not a boolean: " + v);
    }
}
