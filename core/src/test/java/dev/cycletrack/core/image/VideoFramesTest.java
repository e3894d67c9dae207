package dev.cycletrack.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.testutil.TestVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFramesTest {

    static final String CLIP = "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2";

    @TempDir
    Path tmp;

    static Path sampleVideo() {
        Path dir = Samples.jhmdbCatch().orElseThrow(() -> new AssertionError("the shipped J-HMDB sample is missing"));
        return dir.resolve(CLIP + ".avi");
    }

    @Test
    void decodesTheSampleVideoFrameByFrame() throws IOException {
        try (VideoFrames video = VideoFrames.open(sampleVideo())) {
            assertEquals(320, video.width());
            assertEquals(240, video.height());
            assertEquals(30.0, video.frameRate(), 1e-9);
            // The AVI index claims 48 frames; FFmpeg decodes 40 of them.
            assertEquals(48, video.frameCountHint().orElseThrow());
            int n = 0;
            while (video.hasNext()) {
                RgbImage f = video.next();
                assertEquals(320, f.width());
                assertEquals(240, f.height());
                n++;
            }
            assertEquals(40, n);
            assertEquals(40, video.framesRead());
            assertFalse(video.hasNext());
        }
    }

    @Test
    void videoFramesMatchTheJhmdbPngs() throws IOException {
        // Video frame i is PNG i+1: a small decode difference, far below the change between frames.
        Path dir = TestVectors.requireData("jhmdb/" + CLIP);
        try (VideoFrames video = VideoFrames.open(sampleVideo())) {
            for (int i = 0; i < 3; i++) {
                RgbImage frame = video.next();
                double same = meanAbsDiff(frame, Images.readRgb(dir.resolve(String.format("%05d.png", i + 1))));
                double next = meanAbsDiff(frame, Images.readRgb(dir.resolve(String.format("%05d.png", i + 2))));
                assertTrue(same < 3 && next > 10, "frame " + i + ": " + same + " vs " + next);
            }
        }
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        double s = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            s += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return s / a.rgb().length;
    }

    @Test
    void streamClosesTheDecoder() throws IOException {
        try (Stream<RgbImage> frames = VideoFrames.open(sampleVideo()).stream()) {
            assertEquals(5, frames.limit(5).count());
        }
    }

    @Test
    void errorsNameTheFile() throws IOException {
        NoSuchFileException e1 =
                assertThrows(NoSuchFileException.class, () -> VideoFrames.open(tmp.resolve("absent.mp4")));
        assertTrue(e1.getMessage().contains("absent.mp4"));
        Path garbage = tmp.resolve("garbage.avi");
        Files.writeString(garbage, "definitely not a video");
        IOException e2 = assertThrows(IOException.class, () -> VideoFrames.open(garbage));
        assertTrue(e2.getMessage().contains("garbage.avi"), e2.getMessage());
    }
}
