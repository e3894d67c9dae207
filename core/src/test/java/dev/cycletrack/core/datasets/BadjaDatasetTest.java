package dev.cycletrack.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.LabelPng;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadjaDatasetTest {

    @TempDir
    Path tmp;

    @Test
    void camelMatchesTheReferenceLayout() throws IOException {
        BadjaDataset badja = BadjaDataset.open(TestVectors.requireData("badja"));
        assertEquals(List.of("camel", "dog", "horsejump-high"), badja.sequences());
        JsonNode ref = TestVectors.require("baselines-dev.json").at("/badja/identity/sequences");
        for (String name : badja.sequences()) {
            BadjaSequence seq = badja.sequence(name);
            JsonNode r = ref.get(name);
            assertEquals(r.get("seed_frame").asText(), seq.seed().frame(), name);
            assertEquals(
                    r.get("last_frame").asText(),
                    seq.annotated().get(seq.annotated().size() - 1).frame());
            assertEquals(
                    r.get("n_frames_propagated").asInt(),
                    seq.propagationFrames().size(),
                    name);
            assertEquals(seq.seed().image(), seq.propagationFrames().get(0));
            // Every annotated frame after the seed is a scored frame of the reference.
            List<String> scored =
                    seq.annotated().stream().skip(1).map(BadjaFrame::frame).toList();
            assertEquals(r.get("scored_frames").size(), scored.size(), name);
            for (int i = 0; i < scored.size(); i++) {
                assertEquals(r.get("scored_frames").get(i).asText(), scored.get(i));
            }
        }
        BadjaSequence camel = badja.sequence("camel");
        BadjaFrame seed = camel.seed();
        assertEquals(2, seed.index());
        assertEquals("00002.jpg", seed.image().getFileName().toString());
        assertTrue(seed.image().toString().contains("480p"));
        assertEquals("00002.png", seed.mask().getFileName().toString());
        assertEquals(20, seed.joints().size());
        // Joint 8 of camel 00002 is [row 612, col 1256] at 1920x1080.
        Keypoint j8 = seed.joint(8);
        assertEquals(1256 * (480.0 / 1080.0), j8.x(), 0.0);
        assertEquals(612 * (480.0 / 1080.0), j8.y(), 0.0);
        assertTrue(j8.visible());
        // Joint 36 (left ear) is annotated; a non-BADJA joint (34, chin) is not exposed at all.
        assertTrue(seed.joint(36).visible());
        assertThrows(IllegalArgumentException.class, () -> seed.joint(34));
    }

    @Test
    void maskAreaIsTheNonZeroPixelCount() throws IOException {
        BadjaDataset badja = BadjaDataset.open(TestVectors.requireData("badja"));
        JsonNode perFrame = TestVectors.require("baselines-dev.json").at("/badja/identity/sequences/dog/per_frame");
        BadjaSequence dog = badja.sequence("dog");
        JsonNode first = perFrame.get(0);
        BadjaFrame f = dog.annotated().stream()
                .filter(a -> a.frame().equals(first.get("frame").asText()))
                .findFirst()
                .orElseThrow();
        assertEquals(first.get("area").asInt(), f.maskArea());
    }

    @Test
    void seedJointsLieOnTheMask() throws IOException {
        // BASELINES.md: every seed joint lies inside the 480p mask or within 1 px of it.
        BadjaDataset badja = BadjaDataset.open(TestVectors.requireData("badja"));
        for (String name : badja.sequences()) {
            BadjaFrame seed = badja.sequence(name).seed();
            IdMap mask = LabelPng.read(seed.mask());
            for (Keypoint k : seed.joints()) {
                if (!k.visible()) {
                    continue;
                }
                boolean near = false;
                for (int dy = -1; dy <= 2 && !near; dy++) {
                    for (int dx = -1; dx <= 2 && !near; dx++) {
                        int x = (int) Math.floor(k.x()) + dx;
                        int y = (int) Math.floor(k.y()) + dy;
                        near = x >= 0 && y >= 0 && x < mask.width() && y < mask.height() && mask.id(x, y) != 0;
                    }
                }
                assertTrue(near, name + " seed joint " + k + " is off the mask");
            }
        }
    }

    // ---- malformed inputs, on a tiny synthetic layout ----

    private Path layout() throws IOException {
        Path root = tmp.resolve("data");
        Path jpg = Files.createDirectories(root.resolve("davis2016/JPEGImages/480p/cat"));
        Path ann = Files.createDirectories(root.resolve("davis2016/Annotations/480p/cat"));
        for (String n : List.of("00000", "00001", "00002")) {
            Files.createFile(jpg.resolve(n + ".jpg"));
            Files.createFile(ann.resolve(n + ".png"));
        }
        Files.createDirectories(root.resolve("badja/joint_annotations"));
        return root;
    }

    private static String record(String frame, String joints, String visibility) {
        return "{\"image_path\": \"DAVIS/JPEGImages/Full-Resolution/cat/" + frame + ".jpg\","
                + " \"segmentation_path\": \"DAVIS/Annotations/Full-Resolution/cat/" + frame + ".png\","
                + " \"joints\": " + joints + ", \"visibility\": " + visibility + "}";
    }

    private static String joints(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("[")
                    .append(10 * i)
                    .append(",")
                    .append(20 * i)
                    .append("]");
        }
        return sb.append("]").toString();
    }

    private static String visibility(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(i == 8 ? "true" : "false");
        }
        return sb.append("]").toString();
    }

    @Test
    void sortsFramesAndPropagatesThroughEveryFrame() throws IOException {
        Path root = layout();
        Files.writeString(
                root.resolve("badja/joint_annotations/cat.json"),
                "[" + record("00002", joints(37), visibility(37)) + "," + record("00000", joints(37), visibility(37))
                        + "]");
        BadjaSequence cat = BadjaDataset.open(root.resolve("badja")).sequence("cat");
        assertEquals("00000", cat.seed().frame());
        assertEquals(3, cat.propagationFrames().size());
        Keypoint j8 = cat.seed().joint(8);
        assertEquals(160 * (480.0 / 1080.0), j8.x(), 0.0);
        assertEquals(80 * (480.0 / 1080.0), j8.y(), 0.0);
        assertFalse(cat.seed().joint(9).visible());
        assertEquals(Keypoint.INVISIBLE, cat.seed().joint(9));
    }

    @Test
    void malformedFilesAreReportedWithTheirName() throws IOException {
        Path root = layout();
        Path dir = root.resolve("badja/joint_annotations");
        BadjaDataset badja = BadjaDataset.open(root.resolve("badja"));

        Files.writeString(dir.resolve("broken.json"), "[{\"image_path\": ");
        IOException e = assertThrows(IOException.class, () -> badja.sequence("broken"));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("malformed JSON"), e.getMessage());

        Files.writeString(dir.resolve("short.json"), "[" + record("00000", joints(30), visibility(37)) + "]");
        e = assertThrows(IOException.class, () -> badja.sequence("short"));
        assertTrue(
                e.getMessage().contains("short.json, record 0")
                        && e.getMessage().contains("joints"),
                e.getMessage());

        Files.writeString(dir.resolve("noframe.json"), "[" + record("00007", joints(37), visibility(37)) + "]");
        e = assertThrows(IOException.class, () -> badja.sequence("noframe"));
        assertTrue(e.getMessage().contains("noframe.json") && e.getMessage().contains("00007"), e.getMessage());

        Files.writeString(
                dir.resolve("badvis.json"),
                "[" + record("00000", joints(37), visibility(37).replace("true", "\"y\"")) + "]");
        e = assertThrows(IOException.class, () -> badja.sequence("badvis"));
        assertTrue(e.getMessage().contains("visibility of joint 8"), e.getMessage());

        Files.writeString(dir.resolve("notalist.json"), "{}");
        e = assertThrows(IOException.class, () -> badja.sequence("notalist"));
        assertTrue(e.getMessage().contains("notalist.json"), e.getMessage());

        String rec = record("00000", joints(37), visibility(37));
        Files.writeString(dir.resolve("twice.json"), "[" + rec + "," + rec + "]");
        e = assertThrows(IOException.class, () -> badja.sequence("twice"));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());

        e = assertThrows(IOException.class, () -> badja.sequence("absent"));
        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }

    @Test
    void missingDavisBesideBadjaIsReported() throws IOException {
        Path root = tmp.resolve("only");
        Files.createDirectories(root.resolve("badja/joint_annotations"));
        IOException e = assertThrows(IOException.class, () -> BadjaDataset.open(root.resolve("badja")));
        assertTrue(e.getMessage().contains("davis2016"), e.getMessage());
    }
}
