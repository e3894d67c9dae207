package dev.cycletrack.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.trainer.TestData;
import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

    @Test
    void decodesResamplesAndDownscales() throws Exception {
        VideoLibrary.Video all = VideoLibrary.decode(TestData.sampleVideo(), 0, 48, 0);
        VideoLibrary.Video at8 = VideoLibrary.decode(TestData.sampleVideo(), 8, 48, 0);
        assertEquals(40, all.frameCount());
        assertEquals(
                48, Math.min(all.frames().get(0).width(), all.frames().get(0).height()));
        assertEquals(64, all.frames().get(0).width());
        double expected = all.frameCount() * 8 / all.sourceFps();
        assertEquals(expected, at8.frameCount(), 1.0, "resampled count at 8 fps from " + all.sourceFps());
    }

    @Test
    void unreadableAndTooShortVideosAreSkippedAndCounted(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("broken.mp4");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Path missing = dir.resolve("missing.avi");
        List<String> warnings = new ArrayList<>();
        VideoLibrary lib =
                VideoLibrary.load(List.of(garbage, TestData.sampleVideo(), missing), 0, 32, 4, 6, warnings::add);
        assertEquals(1, lib.videos().size());
        assertEquals(2, lib.skipped().size());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("broken.mp4") && warnings.get(0).contains("unreadable"), warnings.get(0));
        // Too short: 6 frames decoded, clips need 10.
        List<String> w2 = new ArrayList<>();
        IOException e = assertThrows(
                IOException.class,
                () -> VideoLibrary.load(List.of(TestData.sampleVideo(), garbage), 0, 32, 10, 6, w2::add));
        assertTrue(e.getMessage().contains("no usable training video"), e.getMessage());
        assertTrue(w2.get(0).contains("too short"), w2.get(0));
    }

    @Test
    void listsVideosInFoldersAndNamesAMissingPath(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/x.MP4"), new byte[1]);
        Files.write(dir.resolve("notes.txt"), new byte[1]);
        assertEquals(List.of(dir.resolve("a/x.MP4")), VideoLibrary.listVideos(List.of(dir)));
        IOException e = assertThrows(IOException.class, () -> VideoLibrary.listVideos(List.of(dir.resolve("nope"))));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void clipPlanIsAPureFunctionOfSeedAndEpoch() {
        ClipPlan plan = new ClipPlan(new int[] {10, 3, 50}, 4, 5, 99);
        assertEquals(5 + 0 + 5, plan.epochSize());
        List<ClipPlan.ClipRef> e0 = plan.epoch(0);
        assertEquals(e0, new ClipPlan(new int[] {10, 3, 50}, 4, 5, 99).epoch(0));
        assertNotEquals(e0, plan.epoch(1));
        Set<ClipPlan.ClipRef> distinct = new HashSet<>(e0);
        assertEquals(e0.size(), distinct.size());
        for (ClipPlan.ClipRef r : e0) {
            assertTrue(r.video() == 0 ? r.start() <= 6 : r.start() <= 46);
            assertNotEquals(1, r.video());
        }
        assertEquals(plan.epoch(3).get(4), plan.clip(3L * plan.epochSize() + 4));
        assertEquals(3, plan.epochOf(3L * plan.epochSize() + 4));
        assertEquals(4, plan.positionOf(3L * plan.epochSize() + 4));
    }

    private static TrainConfig plainConfig() {
        TrainConfig c = TestData.tinyConfig();
        c.noColorAug = true;
        c.flipProbability = 0;
        c.cropScaleMin = 1.0;
        c.cropScaleMax = 1.0;
        c.cropRatioMin = 1.0;
        c.cropRatioMax = 1.0; // can never be strictly smaller than the frame: whole-frame crops
        return c;
    }

    @Test
    void backwardTrackIsTheForwardFramesReversed() throws Exception {
        TrainConfig c = plainConfig();
        VideoLibrary lib = TestData.sampleLibrary(6, 40);
        ClipAugmenter aug = new ClipAugmenter(c);
        List<RgbImage> frames = lib.videos().get(0).frames().subList(0, 3);
        ClipSample sample = aug.augment(frames, new SplittableRandom(1), 0, "test");
        int plane = 3 * 32 * 32;
        assertEquals(6 * plane, sample.pixels().length);
        for (int i = 0; i < 3; i++) {
            float[] f = java.util.Arrays.copyOfRange(sample.pixels(), i * plane, (i + 1) * plane);
            float[] b = java.util.Arrays.copyOfRange(sample.pixels(), (3 + 2 - i) * plane, (3 + 3 - i) * plane);
            // Same pre-cropped frame, whole-frame crops, no colour: identical.
            assertArrayEquals(f, b, 0f, "f_" + (i + 1) + " vs b_" + (i + 1));
        }
        assertTrue(sample.theta().approxEquals(Affine.IDENTITY, 1e-12));
    }

    @Test
    void stfc3DrawsIndependentTrackCropsAndFc3SharesOne() throws Exception {
        TrainConfig c = TestData.tinyConfig();
        VideoLibrary lib = TestData.sampleLibrary(6, 40);
        List<RgbImage> frames = lib.videos().get(0).frames().subList(0, 3);
        ClipSample st = new ClipAugmenter(c).augment(frames, new SplittableRandom(5), 0, "t");
        assertNotEquals(st.forward(), st.backward());
        assertTrue(st.theta()
                .approxEquals(st.forward().matrix().times(st.backward().matrix().inverse()), 1e-12));
        c.objective = "fc3";
        ClipSample fc = new ClipAugmenter(c).augment(frames, new SplittableRandom(5), 0, "t");
        assertEquals(fc.forward(), fc.backward());
        assertTrue(fc.theta().approxEquals(Affine.IDENTITY, 0));
    }

    @Test
    void cropCurriculumMovesTheScaleLowEnd() {
        TrainConfig c = new TrainConfig();
        c.cropCurriculumStart = 0.6;
        c.cropCurriculumSteps = 100;
        c.cropScaleMin = 0.1;
        assertEquals(0.6, c.cropScaleMinAt(0), 1e-12);
        assertEquals(0.35, c.cropScaleMinAt(50), 1e-12);
        assertEquals(0.1, c.cropScaleMinAt(100), 1e-12);
        c.lrMilestones = List.of(10);
        c.lr = 1e-3;
        assertEquals(1e-3, c.lrAt(9), 1e-15);
        assertEquals(3e-4, c.lrAt(10), 1e-15);
        c.edgeDropoutStart = 5;
        assertEquals(0, c.edgeDropoutAt(4));
        assertEquals(0.1, c.edgeDropoutAt(5));
    }

    @Test
    void colourOperations() {
        byte[] px = new byte[4 * 4 * 3];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        RgbImage img = new RgbImage(4, 4, px);
        RgbImage gray = ColorOps.grayscale(img);
        for (int i = 0; i < px.length; i += 3) {
            assertEquals(gray.rgb()[i], gray.rgb()[i + 1]);
            assertEquals(gray.rgb()[i], gray.rgb()[i + 2]);
        }
        assertArrayEquals(img.rgb(), ColorOps.brightness(img, 1.0).rgb());
        assertArrayEquals(img.rgb(), ColorOps.saturation(img, 1.0).rgb());
        assertArrayEquals(img.rgb(), ColorOps.contrast(img, 1.0).rgb());
        RgbImage sol = ColorOps.solarize(img);
        for (int i = 0; i < px.length; i++) {
            int v = px[i] & 0xff;
            assertEquals(v >= 128 ? 255 - v : v, sol.rgb()[i] & 0xff);
        }
        byte[] flat = new byte[8 * 8 * 3];
        java.util.Arrays.fill(flat, (byte) 77);
        assertArrayEquals(
                flat, ColorOps.gaussianBlur(new RgbImage(8, 8, flat), 1.5).rgb());
        // A zero hue shift is the 8-bit HSV round trip: exact up to PIL-style quantisation.
        RgbImage hued = ColorOps.hue(img, 0.0);
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] & 0xff, hued.rgb()[i] & 0xff, 6);
        }
    }
}
