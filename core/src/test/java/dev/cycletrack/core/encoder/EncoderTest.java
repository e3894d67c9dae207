package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncoderTest {

    static RgbImage randomImage(int width, int height, long seed) {
        byte[] rgb = new byte[width * height * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    /** Gives every BN non-trivial statistics so that folding BN into the convs is really exercised. */
    static void randomiseBatchNorms(ResNetTrunk trunk, long seed) {
        Random random = new Random(seed);
        for (Map.Entry<String, Parameter> e : trunk.namedParameters().entrySet()) {
            String name = e.getKey();
            if (!name.contains("bn") && !name.contains("downsample.1")) {
                continue;
            }
            NDArray a = e.getValue().getArray();
            float[] v = new float[Math.toIntExact(a.size())];
            for (int i = 0; i < v.length; i++) {
                double g = random.nextGaussian();
                v[i] = (float) (name.endsWith("running_var") || name.endsWith("weight") ? 0.5 + Math.abs(g) : 0.3 * g);
            }
            a.set(FloatBuffer.wrap(v));
        }
    }

    /** SPEC 1 written out with plain tensor ops and the training blocks in eval mode. */
    static FeatureMap referenceFeatures(ResNetTrunk trunk, InputNormalization norm, RgbImage image) {
        try (NDManager m = NDManager.newBaseManager()) {
            int h = image.height();
            int w = image.width();
            float[] chw = new float[3 * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        chw[(c * h + y) * w + x] = image.value(x, y, c);
                    }
                }
            }
            NDArray input = m.create(chw, new Shape(1, 3, h, w))
                    .div(255f)
                    .sub(m.create(norm.mean(), new Shape(1, 3, 1, 1)))
                    .div(m.create(norm.std(), new Shape(1, 3, 1, 1)));
            NDArray out = trunk.upTo(FeatureLayer.LAYER3)
                    .forward(new ParameterStore(m, false), new NDList(input), false)
                    .singletonOrThrow();
            Shape s = out.getShape();
            return FeatureMap.fromChannelFirst((int) s.get(1), (int) s.get(2), (int) s.get(3), out.toFloatArray())
                    .l2NormaliseInPlace();
        }
    }

    static void assertClose(FeatureMap want, FeatureMap got, float tolerance) {
        assertEquals(want.height(), got.height(), "height");
        assertEquals(want.width(), got.width(), "width");
        assertEquals(want.channels(), got.channels(), "channels");
        assertArrayEquals(want.data(), got.data(), tolerance);
    }

    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void matchesTheSpecPipelineWithTrainingBlocksInEvalMode(PaddingMode mode) {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk trunk = ResNetTrunk.create(mode, FeatureLayer.LAYER4);
            trunk.initialize(m, 7);
            randomiseBatchNorms(trunk, 11);
            RgbImage image = randomImage(mode == PaddingMode.NONE ? 200 : 72, mode == PaddingMode.NONE ? 184 : 56, 3);
            try (Encoder encoder = Encoder.fromTrunk(trunk, InputNormalization.IMAGENET)) {
                FeatureMap got = encoder.encode(image);
                assertEquals(encoder.gridSize(image.height(), image.width()), new GridSize(got.height(), got.width()));
                assertEquals(256, got.channels());
                assertClose(referenceFeatures(trunk, InputNormalization.IMAGENET, image), got, 2e-5f);
            }
        }
    }

    @Test
    void featuresAreUnitVectorsOnTheStride8Grid() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(1, PaddingMode.REFLECT);
                Encoder encoder = artifact.encoder()) {
            FeatureMap f = encoder.encode(randomImage(100, 60, 1));
            assertEquals(8, f.height());
            assertEquals(13, f.width());
            for (int n = 0; n < f.nodes(); n++) {
                double sq = 0;
                for (int c = 0; c < f.channels(); c++) {
                    sq += (double) f.data()[n * 256 + c] * f.data()[n * 256 + c];
                }
                assertEquals(1.0, sq, 1e-4, "node " + n);
            }
        }
    }

    @Test
    void normalisationComesFromTheSettings() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(2, PaddingMode.ZERO);
                Encoder imagenet = Encoder.fromTrunk(artifact.trunk(), InputNormalization.IMAGENET);
                Encoder training = Encoder.fromTrunk(artifact.trunk(), InputNormalization.TRAINING)) {
            RgbImage image = randomImage(40, 48, 9);
            assertClose(
                    referenceFeatures(artifact.trunk(), InputNormalization.TRAINING, image),
                    training.encode(image),
                    2e-5f);
            float[] a = imagenet.encode(image).data();
            float[] b = training.encode(image).data();
            assertThrows(AssertionError.class, () -> assertArrayEquals(a, b, 1e-3f));
        }
    }

    @Test
    void batchEqualsOneByOneAndKeepsOrder() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(3, PaddingMode.REFLECT);
                Encoder encoder = artifact.encoder()) {
            List<RgbImage> images = List.of(randomImage(64, 48, 1), randomImage(64, 48, 2), randomImage(64, 48, 3));
            List<FeatureMap> batch = encoder.encode(images);
            assertEquals(3, batch.size());
            for (int i = 0; i < 3; i++) {
                assertClose(encoder.encode(images.get(i)), batch.get(i), 1e-5f);
            }
            assertEquals(List.of(), encoder.encode(List.of()));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> encoder.encode(List.of(randomImage(64, 48, 1), randomImage(48, 64, 1))));
        }
    }

    @Test
    void noNativeMemoryIsLeftBehindByCalls() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(4, PaddingMode.REFLECT);
                Encoder encoder = artifact.encoder()) {
            int before = encoder.liveArrays();
            for (int i = 0; i < 5; i++) {
                encoder.encode(randomImage(48, 40, i));
                encoder.encode(List.of(randomImage(32, 32, i), randomImage(32, 32, i + 1)));
            }
            assertEquals(before, encoder.liveArrays());
        }
    }

    @Test
    void isASnapshotUsableFromAnyThread() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk trunk = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3);
            trunk.initialize(m, 5);
            RgbImage image = randomImage(40, 40, 5);
            try (Encoder encoder = Encoder.fromTrunk(trunk, InputNormalization.IMAGENET)) {
                FeatureMap before = encoder.encode(image);
                // Training the trunk later must not change an existing encoder.
                trunk.namedParameters().get("conv1.weight").getArray().muli(2);
                AtomicReference<Object> other = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        other.set(encoder.encode(image));
                    } catch (RuntimeException e) {
                        other.set(e);
                    }
                });
                t.start();
                t.join();
                assertEquals(FeatureMap.class, other.get().getClass(), String.valueOf(other.get()));
                assertArrayEquals(before.data(), ((FeatureMap) other.get()).data());
            }
        }
    }

    @Test
    void closedEncoderRefusesWork() {
        Encoder encoder;
        try (ModelArtifact artifact = ModelArtifact.createRandom(6, PaddingMode.ZERO)) {
            encoder = artifact.encoder();
        }
        // The encoder outlives the artifact it came from.
        encoder.encode(randomImage(16, 16, 1));
        encoder.close();
        assertThrows(IllegalStateException.class, () -> encoder.encode(randomImage(16, 16, 1)));
    }
}
