package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The building blocks behave like their PyTorch counterparts, in training mode too. */
class BlocksTest {

    @Test
    void batchNormTrainingUsesBatchStatisticsAndPytorchMomentum() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.initialize(m, DataType.FLOAT32, new Shape(2, 2, 2, 2));
            // Channel 0 holds 0..7, channel 1 holds 10 * (0..7).
            float[] x = new float[16];
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 4; i++) {
                    x[n * 8 + i] = n * 4 + i;
                    x[n * 8 + 4 + i] = 10 * (n * 4 + i);
                }
            }
            NDArray out = bn.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 2, 2, 2))), true)
                    .singletonOrThrow();
            // Batch statistics: mean 3.5, biased var 5.25 for channel 0.
            float[] y = out.toFloatArray();
            assertEquals((0 - 3.5) / Math.sqrt(5.25 + 1e-5), y[0], 1e-5);
            // running = 0.9 * running + 0.1 * batch, with the unbiased variance (6.0 for 0..7).
            assertArrayEquals(
                    new float[] {0.35f, 3.5f}, bn.runningMean().getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(
                    new float[] {0.9f + 0.6f, 0.9f + 60f},
                    bn.runningVar().getArray().toFloatArray(),
                    1e-4f);
            // Eval mode uses the running statistics.
            NDArray eval = bn.forward(
                            new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 2, 2, 2))), false)
                    .singletonOrThrow();
            assertEquals((0 - 0.35) / Math.sqrt(1.5 + 1e-5), eval.toFloatArray()[0], 1e-5);
        }
    }

    @Test
    void layer4TrunkTrainsWithGradientCollector() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk trunk = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER4);
            trunk.initialize(m, 3);
            Map<String, Parameter> params = trunk.namedParameters();
            float[] meanBefore =
                    params.get("layer4.1.bn2.running_mean").getArray().toFloatArray();
            NDArray x = m.randomNormal(new Shape(2, 3, 64, 64));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = trunk.forward(new ParameterStore(m, false), new NDList(x), true)
                        .singletonOrThrow();
                assertEquals(new Shape(2, 512, 8, 8), y.getShape());
                collector.backward(y.square().mean());
            }
            for (String name : new String[] {"conv1.weight", "layer2.0.downsample.0.weight", "layer4.1.bn2.weight"}) {
                NDArray grad = params.get(name).getArray().getGradient();
                assertTrue(grad.abs().sum().getFloat() > 0, "gradient of " + name);
            }
            assertNotEquals(
                    meanBefore[0],
                    params.get("layer4.1.bn2.running_mean").getArray().toFloatArray()[0]);
        }
    }

    @Test
    void unpaddedBlockAddsTheCentreCroppedShortcut() {
        try (NDManager m = NDManager.newBaseManager()) {
            BasicBlock block = new BasicBlock(2, 2, 1, PaddingMode.NONE);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 2, 7, 8));
            // Main branch: zero convs, so bn2 outputs its beta (0): the block is relu(crop(x)).
            for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
                if (e.getKey().startsWith("conv")) {
                    NDArray w = e.getValue().getArray();
                    w.set(FloatBuffer.wrap(new float[Math.toIntExact(w.size())]));
                }
            }
            float[] x = new float[2 * 7 * 8];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 3 == 0 ? -i : i;
            }
            NDArray y = block.forward(
                            new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, 2, 7, 8))), false)
                    .singletonOrThrow();
            assertEquals(new Shape(1, 2, 3, 4), y.getShape());
            float[] want = new float[2 * 3 * 4];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 4; j++) {
                        // offsets floor((7 - 3) / 2) = 2 and floor((8 - 4) / 2) = 2
                        want[(c * 3 + i) * 4 + j] = Math.max(0, x[(c * 7 + i + 2) * 8 + j + 2]);
                    }
                }
            }
            assertArrayEquals(want, y.toFloatArray(), 1e-6f);
        }
    }
}
