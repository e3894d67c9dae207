package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ResNetTrunkTest {

    private static long count(Map<String, Parameter> params, String prefix) {
        long n = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue().requiresGradient()) {
                n += e.getValue().getShape().size();
            }
        }
        return n;
    }

    @Test
    void parameterCountsMatchSpecTable() {
        Map<String, Parameter> p =
                ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER4).namedParameters();
        assertEquals(9_536, count(p, "conv1.") + count(p, "bn1."), "stem");
        assertEquals(147_968, count(p, "layer1."), "layer1");
        assertEquals(525_568, count(p, "layer2."), "layer2");
        assertEquals(2_099_712, count(p, "layer3."), "layer3");
        assertEquals(8_393_728, count(p, "layer4."), "layer4");
        assertEquals(11_176_512, ParameterNames.trainableCount(p), "trunk to layer4");
        assertEquals(
                2_782_784,
                ParameterNames.trainableCount(ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3)
                        .namedParameters()),
                "trunk to layer3");
    }

    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void paddingModeDoesNotChangeParameterCount(PaddingMode mode) {
        assertEquals(
                2_782_784,
                ParameterNames.trainableCount(
                        ResNetTrunk.create(mode, FeatureLayer.LAYER3).namedParameters()));
    }

    @Test
    void parameterPathsFollowTorchvision() {
        Map<String, Parameter> p =
                ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3).namedParameters();
        List<String> names = List.copyOf(p.keySet());
        assertEquals("conv1.weight", names.get(0));
        assertEquals(List.of("bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"), names.subList(1, 5));
        assertTrue(names.contains("layer2.0.downsample.0.weight"));
        assertTrue(names.contains("layer3.1.bn2.running_var"));
        assertFalse(names.contains("layer1.0.downsample.0.weight"), "layer1 keeps identity shortcuts");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("layer4")));
        assertEquals(
                new Shape(256, 128, 1, 1), p.get("layer3.0.downsample.0.weight").getShape());
        assertEquals(new Shape(64, 3, 7, 7), p.get("conv1.weight").getShape());
        assertFalse(p.get("bn1.running_mean").requiresGradient());
        // No conv has a bias.
        assertTrue(names.stream().filter(n -> n.contains("conv")).allMatch(n -> n.endsWith(".weight")));
    }

    @ParameterizedTest
    @CsvSource({
        "REFLECT, 256, 256, 32, 32", "REFLECT, 320, 320, 40, 40", "ZERO, 480, 854, 60, 107",
        "REPLICATE, 640, 640, 80, 80", "REFLECT, 720, 1281, 90, 161", "REFLECT, 255, 257, 32, 33",
        "NONE, 256, 256, 12, 12", "NONE, 320, 320, 20, 20", "NONE, 480, 480, 40, 40"
    })
    void layer3GridSize(PaddingMode mode, int h, int w, int gh, int gw) {
        assertEquals(
                new GridSize(gh, gw),
                ResNetTrunk.create(mode, FeatureLayer.LAYER3).outputSize(h, w));
    }

    @ParameterizedTest
    @CsvSource({"REFLECT, 256, 32", "NONE, 256, 4", "NONE, 320, 12", "NONE, 480, 32"})
    void layer4GridSize(PaddingMode mode, int size, int grid) {
        assertEquals(
                new GridSize(grid, grid),
                ResNetTrunk.create(mode, FeatureLayer.LAYER4).outputSize(size, size));
    }

    @Test
    void tooSmallInputIsRefused() {
        ResNetTrunk trunk = ResNetTrunk.create(PaddingMode.NONE, FeatureLayer.LAYER3);
        assertThrows(IllegalArgumentException.class, () -> trunk.outputSize(64, 64));
    }

    @ParameterizedTest
    @CsvSource({"REFLECT, 64, 80, 8, 10", "ZERO, 61, 83, 8, 11", "REPLICATE, 64, 64, 8, 8", "NONE, 200, 216, 5, 7"})
    void forwardProducesPredictedShape(PaddingMode mode, int h, int w, int gh, int gw) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNetTrunk trunk = ResNetTrunk.create(mode, FeatureLayer.LAYER3);
            trunk.initialize(manager, 1);
            NDArray x = manager.randomNormal(new Shape(2, 3, h, w));
            NDArray y = trunk.forward(new ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 256, gh, gw), y.getShape());
            assertEquals(new GridSize(gh, gw), trunk.outputSize(h, w));
        }
    }

    @Test
    void seededInitIsReproducibleAndKaimingScaled() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNetTrunk a = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3);
            ResNetTrunk b = ResNetTrunk.create(PaddingMode.ZERO, FeatureLayer.LAYER4);
            ResNetTrunk c = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3);
            a.initialize(manager, 42);
            b.initialize(manager, 42);
            c.initialize(manager, 43);
            Map<String, Parameter> pa = a.namedParameters();
            Map<String, Parameter> pb = b.namedParameters();
            Map<String, Parameter> pc = c.namedParameters();
            for (String name : pa.keySet()) {
                assertArrayEquals(
                        pa.get(name).getArray().toFloatArray(),
                        pb.get(name).getArray().toFloatArray(),
                        name);
            }
            assertFalse(Arrays.equals(
                    pa.get("conv1.weight").getArray().toFloatArray(),
                    pc.get("conv1.weight").getArray().toFloatArray()));
            // kaiming_normal(fan_out, relu): std = sqrt(2 / (out * k * k)).
            float[] w = pb.get("layer4.0.conv2.weight").getArray().toFloatArray();
            double sum = 0;
            double sq = 0;
            for (float v : w) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / w.length;
            double std = Math.sqrt(sq / w.length - mean * mean);
            assertEquals(0, mean, 1e-4);
            assertEquals(Math.sqrt(2.0 / (512 * 9)), std, 0.005 * std);
            assertArrayEquals(new float[64], pa.get("bn1.bias").getArray().toFloatArray());
            float[] ones = new float[64];
            Arrays.fill(ones, 1f);
            assertArrayEquals(ones, pa.get("bn1.weight").getArray().toFloatArray());
            assertArrayEquals(ones, pa.get("bn1.running_var").getArray().toFloatArray());
        }
    }

    @Test
    void firstWeightsArePinned() {
        // Pins the generator: the same seed must give the same weights on every machine.
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNetTrunk t = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER3);
            t.initialize(manager, 42);
            float[] w = t.namedParameters().get("conv1.weight").getArray().toFloatArray();
            assertArrayEquals(
                    new float[] {0.010473255f, 0.01648269f, -0.022523528f, 0.033507608f}, Arrays.copyOf(w, 4));
        }
    }
}
