package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The OpenCV runtime (ONNX export, Winograd convolutions) against DJL's PyTorch engine. */
class EncoderRuntimeTest {

    private static double maxDifference(FeatureMap a, FeatureMap b) {
        assertEquals(a.height(), b.height(), "height");
        assertEquals(a.width(), b.width(), "width");
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    /** The shipped STFC3 model on the shipped clip at the pose preset's 320x320. */
    @Test
    void runtimesAgreeOnTheShippedModelAndSample() throws Exception {
        Path clip = Samples.jhmdbCatch().orElseThrow(() -> new AssertionError("the shipped J-HMDB sample is missing"));
        Path model = ProjectPaths.model("stfc3").orElseThrow(() -> new AssertionError("models/stfc3 is missing"));
        List<RgbImage> images = new ArrayList<>();
        try (FrameStream frames = JhmdbClip.open(clip).frames()) {
            while (frames.hasNext() && images.size() < 3) {
                images.add(Images.resizeBilinear(frames.next(), 320, 320));
            }
        }
        try (ModelArtifact artifact = ModelArtifact.load(model);
                Encoder torch = Encoder.fromArtifact(artifact, EncoderRuntime.PYTORCH);
                Encoder opencv = Encoder.fromArtifact(artifact, EncoderRuntime.OPENCV)) {
            assertEquals(EncoderRuntime.OPENCV, opencv.runtime());
            for (RgbImage image : images) {
                FeatureMap want = torch.encode(image);
                FeatureMap got = opencv.encode(image);
                assertEquals(40 * 40, got.nodes());
                // Unit vectors of 256 channels: Winograd rounding stays far below what moves a top-k choice.
                assertTrue(maxDifference(want, got) < 2e-5, "max difference " + maxDifference(want, got));
            }
        }
    }

    /**
     * Every padding the ONNX export writes (reflect and replicate as Pad nodes, zero as the conv's own
     * padding) on random weights, at an input whose sides are not multiples of the stride, so that
     * the borders and the max-pool's padding are exercised on both runtimes.
     */
    @ParameterizedTest
    @EnumSource(
            value = PaddingMode.class,
            names = {"REFLECT", "ZERO", "REPLICATE"})
    void runtimesAgreeForEveryExportedPadding(PaddingMode padding) throws Exception {
        try (ModelArtifact artifact = ModelArtifact.createRandom(3, padding);
                Encoder torch = Encoder.fromArtifact(artifact, EncoderRuntime.PYTORCH);
                Encoder opencv = Encoder.fromArtifact(artifact, EncoderRuntime.OPENCV)) {
            RgbImage image = EncoderTest.randomImage(84, 60, 7);
            FeatureMap want = torch.encode(image);
            FeatureMap got = opencv.encode(image);
            assertEquals(want.channels(), got.channels(), "channels");
            assertTrue(maxDifference(want, got) < 2e-5, padding + ": max difference " + maxDifference(want, got));
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialResult() throws Exception {
        try (ModelArtifact artifact = ModelArtifact.createRandom(5, PaddingMode.REFLECT);
                Encoder encoder = Encoder.fromArtifact(artifact, EncoderRuntime.OPENCV)) {
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                images.add(EncoderTest.randomImage(64 + 8 * (i % 2), 48, i));
            }
            List<FeatureMap> sequential = encoder.encode(images.subList(0, 1));
            sequential = new ArrayList<>(sequential);
            for (int i = 1; i < images.size(); i++) {
                sequential.add(encoder.encode(images.get(i)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<FeatureMap>> futures = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (RgbImage image : images) {
                        futures.add(pool.submit(() -> encoder.encode(image)));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertArrayEquals(
                            sequential.get(i % images.size()).data(),
                            futures.get(i).get().data(),
                            "call " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void unpaddedTrunksNeedPyTorch() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(1, PaddingMode.NONE)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Encoder.fromArtifact(artifact, EncoderRuntime.OPENCV));
            assertTrue(e.getMessage().contains("padding mode none"), e.getMessage());
            try (Encoder auto = artifact.encoder()) {
                assertEquals(EncoderRuntime.PYTORCH, auto.runtime(), "auto falls back to PyTorch");
            }
        }
    }

    @Test
    void devicesParse() {
        assertEquals(Device.cpu(), EncoderRuntime.parseDevice("auto", 0));
        assertEquals(Device.gpu(0), EncoderRuntime.parseDevice("auto", 2));
        assertEquals(Device.cpu(), EncoderRuntime.parseDevice("CPU", 2));
        assertEquals(Device.gpu(0), EncoderRuntime.parseDevice("gpu", 1));
        assertEquals(Device.gpu(1), EncoderRuntime.parseDevice("gpu:1", 2));
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> EncoderRuntime.parseDevice("gpu", 0));
        assertTrue(missing.getMessage().contains("sees 0 GPU(s)"), missing.getMessage());
        assertTrue(missing.getMessage().contains("CUDA build of libtorch"), missing.getMessage());
        IllegalArgumentException beyond =
                assertThrows(IllegalArgumentException.class, () -> EncoderRuntime.parseDevice("gpu:2", 2));
        assertTrue(beyond.getMessage().contains("gpu:2"), beyond.getMessage());
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> EncoderRuntime.parseDevice("tpu", 1));
        assertTrue(unknown.getMessage().contains("expected auto, cpu, gpu or gpu:N"), unknown.getMessage());
    }

    /** Without a CUDA libtorch (this project's Maven build), auto means the CPU runtimes. */
    @Test
    void withoutAGpuTheEncoderRunsOnTheCpuFramePerFrame() {
        assumeTrue(EncoderRuntime.pytorchGpus() == 0, "PyTorch sees a GPU here");
        assertEquals(Device.cpu(), EncoderRuntime.pytorchDevice());
        assertEquals(EncoderRuntime.OPENCV, EncoderRuntime.configured(PaddingMode.REFLECT));
        try (ModelArtifact artifact = ModelArtifact.createRandom(2, PaddingMode.ZERO);
                Encoder torch = Encoder.fromArtifact(artifact, EncoderRuntime.PYTORCH)) {
            assertEquals(Device.cpu(), torch.device());
            assertFalse(torch.prefersBatches());
            assertEquals("pytorch on the CPU", torch.describeRuntime());
        }
        String before = System.getProperty(EncoderRuntime.DEVICE_PROPERTY);
        System.setProperty(EncoderRuntime.DEVICE_PROPERTY, "gpu");
        try (ModelArtifact artifact = ModelArtifact.createRandom(2, PaddingMode.ZERO)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Encoder.fromArtifact(artifact, EncoderRuntime.PYTORCH));
            assertTrue(e.getMessage().contains(EncoderRuntime.DEVICE_PROPERTY), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(EncoderRuntime.DEVICE_PROPERTY);
            } else {
                System.setProperty(EncoderRuntime.DEVICE_PROPERTY, before);
            }
        }
    }

    @Test
    void runtimeNamesParse() {
        assertEquals(EncoderRuntime.OPENCV, EncoderRuntime.fromId("opencv"));
        assertEquals(EncoderRuntime.PYTORCH, EncoderRuntime.fromId("pytorch"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderRuntime.fromId("onnx"));
        assertTrue(e.getMessage().contains("auto or one of pytorch, opencv"), e.getMessage());
    }
}
