package dev.cycletrack.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DavisDatasetTest {

    @TempDir
    Path tmp;

    @Test
    void listsTheSharedSequences() throws IOException {
        DavisDataset davis = DavisDataset.open(TestVectors.requireData("davis2016"));
        assertEquals(List.of("blackswan", "camel", "dog", "horsejump-high"), davis.sequences());
        DavisSequence dog = davis.sequence("dog");
        assertEquals(60, dog.frameCount());
        assertEquals("00000", dog.frameName(0));
        assertEquals("00059", dog.frameName(59));
        assertEquals(60, dog.annotatedFrames().size());
        assertEquals(5, dog.indexOf("00005").orElseThrow());
        assertEquals(
                "00005.png", dog.annotationPath(5).orElseThrow().getFileName().toString());

        RgbImage frame = dog.readFrame(3);
        IdMap mask = dog.readAnnotation(3);
        assertEquals(frame.width(), mask.width());
        assertEquals(frame.height(), mask.height());
        assertEquals(1, mask.maxId());
        assertEquals(854 * 480, dog.readGray(3).gray().length);
    }

    @Test
    void framesStreamOneAtATime() throws IOException {
        DavisSequence seq =
                DavisDataset.open(TestVectors.requireData("davis2016")).sequence("blackswan");
        try (var frames = seq.frames(10, 13)) {
            assertEquals(3, frames.stream().count());
        }
    }

    @Test
    void sparseAnnotationsAndOnlySequencesWithGroundTruth() throws IOException {
        Path root = tmp.resolve("davis");
        Path jpg = Files.createDirectories(root.resolve("JPEGImages/480p/a"));
        Path ann = Files.createDirectories(root.resolve("Annotations/480p/a"));
        Files.createDirectories(root.resolve("JPEGImages/480p/unlabelled"));
        for (String n : List.of("00000", "00001", "00002")) {
            Files.createFile(jpg.resolve(n + ".jpg"));
        }
        Files.createFile(ann.resolve("00000.png"));
        DavisDataset davis = DavisDataset.open(root);
        assertEquals(List.of("a"), davis.sequences());
        DavisSequence a = davis.sequence("a");
        assertEquals(List.of(0), a.annotatedFrames());
        assertFalse(a.annotationPath(1).isPresent());
        IOException e = assertThrows(IOException.class, () -> a.readAnnotation(2));
        assertTrue(e.getMessage().contains("00002.jpg"), e.getMessage());
        e = assertThrows(IOException.class, () -> a.readFrame(1));
        assertTrue(e.getMessage().contains("00001.jpg"), e.getMessage());
    }

    @Test
    void errorsNameWhatIsMissing() throws IOException {
        IOException e = assertThrows(IOException.class, () -> DavisDataset.open(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());

        Path root = tmp.resolve("noann");
        Files.createDirectories(root.resolve("JPEGImages/480p"));
        e = assertThrows(IOException.class, () -> DavisDataset.open(root));
        assertTrue(e.getMessage().contains("Annotations"), e.getMessage());

        Files.createDirectories(root.resolve("Annotations/480p/x"));
        Files.createDirectories(root.resolve("JPEGImages/480p/x"));
        Files.createFile(root.resolve("Annotations/480p/x/00009.png"));
        DavisDataset davis = DavisDataset.open(root);
        e = assertThrows(IOException.class, () -> davis.sequence("x"));
        assertTrue(e.getMessage().contains("no .jpg frames"), e.getMessage());
        Files.createFile(root.resolve("JPEGImages/480p/x/00000.jpg"));
        e = assertThrows(IOException.class, () -> davis.sequence("x"));
        assertTrue(e.getMessage().contains("00009.png") && e.getMessage().contains("no frame"), e.getMessage());
        e = assertThrows(IOException.class, () -> davis.sequence("y"));
        assertTrue(e.getMessage().contains("y"), e.getMessage());
    }
}
