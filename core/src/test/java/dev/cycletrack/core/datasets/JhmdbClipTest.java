package dev.cycletrack.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;

class JhmdbClipTest {

    static final String CLIP = "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2";

    @TempDir
    Path tmp;

    @Test
    void pngClipMatchesTheReferenceSeed() throws IOException {
        JhmdbClip clip = JhmdbClip.open(TestVectors.requireData("jhmdb/" + CLIP));
        assertFalse(clip.isVideo());
        assertEquals(CLIP, clip.name());
        assertEquals(40, clip.frameCount());
        assertEquals(320, clip.width());
        assertEquals(240, clip.height());
        assertEquals("00001.png", clip.framePaths().get(0).getFileName().toString());
        assertEquals(15, JhmdbClip.JOINT_NAMES.size());
        assertEquals("left ankle", JhmdbClip.JOINT_NAMES.get(14));
        // The lk track's frame 0 is the 0-based ground truth, pos_img - 1.
        JsonNode seed = TestVectors.require("baselines-dev.json")
                .at("/jhmdb/lk/sequences/" + CLIP + "/pred_xy")
                .get(0);
        for (int j = 0; j < 15; j++) {
            Keypoint k = clip.joints(0).get(j);
            assertEquals(seed.get(j).get(0).asDouble(), k.x(), 1e-9);
            assertEquals(seed.get(j).get(1).asDouble(), k.y(), 1e-9);
        }
        try (FrameStream frames = clip.frames()) {
            assertEquals(40, frames.stream().count());
        }
    }

    @Test
    void theShippedSampleOpensAsVideoPlusMat() throws IOException {
        Path dir = Samples.jhmdbCatch().orElseThrow(() -> new AssertionError("the shipped J-HMDB sample is missing"));
        JhmdbClip clip = JhmdbClip.open(dir);
        assertTrue(clip.isVideo());
        assertEquals(40, clip.frameCount());
        assertEquals(320, clip.width());
        assertEquals(240, clip.height());
        for (List<Keypoint> frame : clip.allJoints()) {
            assertEquals(15, frame.size());
            for (Keypoint k : frame) {
                assertTrue(k.visible());
                assertTrue(k.x() >= 0 && k.x() <= 319 && k.y() >= 0 && k.y() <= 239, "joint outside image: " + k);
            }
        }
        int n = 0;
        try (FrameStream frames = clip.frames()) {
            while (frames.hasNext()) {
                RgbImage f = frames.next();
                assertEquals(320, f.width());
                assertEquals(240, f.height());
                n++;
            }
        }
        assertEquals(40, n);
    }

    @Test
    void sampleJointsEqualTheSharedClip() throws IOException {
        Path shared = TestVectors.requireData("jhmdb/" + CLIP);
        Path sample = Samples.jhmdbCatch().orElseThrow();
        assertEquals(
                JhmdbClip.readJoints(shared.resolve(JhmdbClip.ANNOTATION_FILE)),
                JhmdbClip.readJoints(sample.resolve(JhmdbClip.ANNOTATION_FILE)));
    }

    private Path writeMat(String variable, int... dims) throws IOException {
        Matrix m = Mat5.newMatrix(dims);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.setDouble(i, 10 + i);
        }
        Path file = tmp.resolve(variable + dims.length + ".mat");
        Mat5.writeToFile(Mat5.newMatFile().addArray(variable, m), file.toFile());
        return file;
    }

    @Test
    void readsAOneFrameMatAndSubtractsOne() throws IOException {
        List<List<Keypoint>> joints = JhmdbClip.readJoints(writeMat("pos_img", 2, 15));
        assertEquals(1, joints.size());
        // Column-major: element (0, j) is 10 + 2j, element (1, j) is 11 + 2j.
        assertEquals(Keypoint.at(9, 10), joints.get(0).get(0));
        assertEquals(Keypoint.at(11, 12), joints.get(0).get(1));
    }

    @Test
    void malformedMatFilesAreReported() throws IOException {
        IOException e = assertThrows(IOException.class, () -> JhmdbClip.readJoints(writeMat("pos_world", 2, 15, 3)));
        assertTrue(e.getMessage().contains("no variable 'pos_img'"), e.getMessage());

        e = assertThrows(IOException.class, () -> JhmdbClip.readJoints(writeMat("pos_img", 2, 14, 3)));
        assertTrue(e.getMessage().contains("shape [2, 14, 3]"), e.getMessage());

        Path garbage = tmp.resolve("joint_positions.mat");
        Files.writeString(garbage, "not a MAT file at all, not even close".repeat(10));
        e = assertThrows(IOException.class, () -> JhmdbClip.readJoints(garbage));
        assertTrue(e.getMessage().contains("joint_positions.mat"), e.getMessage());

        e = assertThrows(IOException.class, () -> JhmdbClip.readJoints(tmp.resolve("nope.mat")));
        assertTrue(e.getMessage().contains("nope.mat"), e.getMessage());
    }

    @Test
    void tooFewFramesIsReported() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("clip"));
        Files.move(writeMat("pos_img", 2, 15, 3), dir.resolve(JhmdbClip.ANNOTATION_FILE));
        Images.writePng(new RgbImage(4, 4, new byte[48]), dir.resolve("00001.png"));
        IOException e = assertThrows(IOException.class, () -> JhmdbClip.open(dir));
        assertTrue(
                e.getMessage().contains("1 PNG frames but") && e.getMessage().contains("annotates 3"), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IOException.class, () -> JhmdbClip.open(empty));
        assertTrue(e.getMessage().contains("0 video files"), e.getMessage());
    }

    @Test
    void aVideoShorterThanItsAnnotationsFailsWhenItEnds() throws IOException {
        Path dir = Samples.jhmdbCatch().orElseThrow();
        // 50 annotated frames, but the video decodes to 40.
        JhmdbClip clip = JhmdbClip.openVideo(dir.resolve(CLIP + ".avi"), writeMat("pos_img", 2, 15, 50));
        try (FrameStream frames = clip.frames()) {
            RuntimeException e =
                    assertThrows(RuntimeException.class, () -> frames.stream().count());
            assertTrue(e.getMessage().contains("ends after 40 frames"), e.getMessage());
        }
    }
}
