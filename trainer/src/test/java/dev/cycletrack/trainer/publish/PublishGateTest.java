package dev.cycletrack.trainer.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishGateTest {

    @Test
    void aRunThatNeverBeatsItsUntrainedEncoderIsNotPublished(@TempDir Path dir) throws Exception {
        // The learning curve of docs/runs/stfc3-real1: every checkpoint below step 0.
        Path csv = write(
                dir,
                "step,clips_seen,JF,J,F,train_loss\n0,0,70.021,77.295,62.747,NaN\n"
                        + "300,2400,63.303,69.030,57.575,2.1458\n900,7200,64.550,72.078,57.023,2.5486\n");
        PublishGate gate = PublishGate.read(csv, 0);
        assertEquals("JF", gate.metric());
        assertEquals(70.021, gate.untrained(), 1e-9);
        assertEquals(64.550, gate.best(), 1e-9);
        assertEquals(900, gate.bestStep());
        assertFalse(gate.passes(), gate.explain());
    }

    @Test
    void aBetterCheckpointPassesOnlyByTheMargin(@TempDir Path dir) throws Exception {
        Path csv = write(dir, "step,clips_seen,JF\n0,0,60.0\n100,800,61.5\n200,1600,62.5\n");
        assertTrue(PublishGate.read(csv, 2.5).passes());
        assertFalse(PublishGate.read(csv, 3.0).passes());
    }

    @Test
    void missingRowsAreReportedWithTheFile(@TempDir Path dir) throws Exception {
        Path noStart = write(dir, "step,clips_seen,JF\n100,800,61.5\n");
        IOException e = assertThrows(IOException.class, () -> PublishGate.read(noStart, 0));
        assertTrue(e.getMessage().contains(noStart.toString()) && e.getMessage().contains("step-0"), e.getMessage());
        assertThrows(IOException.class, () -> PublishGate.read(dir.resolve("absent.csv"), 0));
    }

    private static Path write(Path dir, String text) throws IOException {
        Path p = dir.resolve("eval-" + Integer.toHexString(text.hashCode()) + ".csv");
        Files.writeString(p, text);
        return p;
    }
}
