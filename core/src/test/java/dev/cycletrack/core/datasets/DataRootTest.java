package dev.cycletrack.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootTest {

    @TempDir
    Path tmp;

    @Test
    void findsEverySharedDataset() throws IOException {
        Path shared = TestVectors.requireData("davis2016").getParent();
        DataRoot root = DataRoot.open(shared);
        assertEquals(4, root.davis().orElseThrow().sequences().size());
        assertEquals(3, root.badja().orElseThrow().sequences().size());
        List<Path> clips = root.jhmdbClips();
        assertEquals(1, clips.size());
        assertEquals(40, JhmdbClip.open(clips.get(0)).frameCount());
        assertTrue(root.vw300Clips().isEmpty());
    }

    @Test
    void absentDatasetsAreEmptyAndBadOnesAreErrors() throws IOException {
        DataRoot empty = DataRoot.open(tmp);
        assertTrue(empty.davis().isEmpty());
        assertTrue(empty.badja().isEmpty());
        assertTrue(empty.jhmdbClips().isEmpty());

        Files.createDirectories(tmp.resolve("badja/joint_annotations"));
        IOException e = assertThrows(IOException.class, empty::badja);
        assertTrue(e.getMessage().contains("davis2016"), e.getMessage());

        Files.createDirectories(tmp.resolve("davis2016"));
        e = assertThrows(IOException.class, empty::davis);
        assertTrue(e.getMessage().contains("JPEGImages"), e.getMessage());

        e = assertThrows(IOException.class, () -> DataRoot.open(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
