package dev.cycletrack.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cycletrack.core.encoder.FeatureLayer;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.trainer.TestData;
import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.VideoLibrary;
import dev.cycletrack.trainer.geometry.WarpGrid;
import dev.cycletrack.trainer.nn.CycleLoss;
import dev.cycletrack.trainer.nn.TrainingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static VideoLibrary library;

    @BeforeAll
    static void decode() throws Exception {
        library = TestData.sampleLibrary(8, 40);
    }

    @Test
    void gradientsReachConv1AndTheHead() {
        TrainConfig c = TestData.tinyConfig();
        c.trainLayer = "layer4";
        c.headHidden = 32;
        c.embedDim = 16;
        ClipSource source = new ClipSource(library, c);
        ClipSource.Batch batch = source.batch(0);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            TrainingModel model = TrainingModel.create(m, PaddingMode.REFLECT, FeatureLayer.LAYER4, 32, 16, 1);
            ParameterStore store = new ParameterStore(m, false);
            int b = batch.size();
            NDArray input = m.create(batch.pixels(), new Shape(b * 2L * c.clipLength, 3, 32, 32));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray f = model.features(store, input, true);
                Shape s = f.getShape();
                List<WarpGrid> grids = new ArrayList<>();
                batch.samples().forEach(x -> grids.add(WarpGrid.of(x.theta(), (int) s.get(2), (int) s.get(3))));
                CycleLoss loss = new CycleLoss(new CycleLoss.Settings(0.05, 0.1, false));
                CycleLoss.Result r =
                        loss.compute(f.reshape(b, 2L * c.clipLength, s.get(1), s.get(2), s.get(3)), grids, true);
                gc.backward(r.loss());
            }
            Map<String, Parameter> params = model.namedParameters();
            for (String name :
                    List.of("trunk.conv1.weight", "trunk.layer4.1.conv2.weight", "head.0.bias", "head.3.weight")) {
                float[] g = params.get(name).getArray().getGradient().toFloatArray();
                double norm = 0;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), name);
                    norm += v * v;
                }
                assertTrue(norm > 0, "no gradient reached " + name);
            }
        }
    }

    @Test
    void aFewStepsOnATinyRealClipLowerTheLoss() {
        TrainConfig c = TestData.tinyConfig();
        c.edgeDropout = 0;
        c.clipsPerVideo = 1;
        c.noColorAug = true;
        c.cropScaleMin = 0.6;
        c.flipProbability = 0;
        c.steps = 40;
        c.lr = 3e-3;
        try (Trainer t = Trainer.create(c, new ClipSource(oneClipLibrary(), c))) {
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < c.steps; i++) {
                StepResult r = t.step();
                assertTrue(Double.isFinite(r.loss()));
                losses.add(r.loss());
            }
            double first = mean(losses.subList(0, 5));
            double last = mean(losses.subList(losses.size() - 5, losses.size()));
            assertTrue(
                    last < first - 0.1,
                    "loss should fall: first steps " + first + ", last steps " + last + " " + losses);
        }
    }

    /** One video of exactly T frames: every clip is the same real clip (only the augmentation changes). */
    private static VideoLibrary oneClipLibrary() {
        VideoLibrary.Video v = library.videos().get(0);
        return VideoLibrary.of(List.of(
                new VideoLibrary.Video(v.file(), v.sourceFps(), v.frames().subList(0, 3))));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void resumeGivesTheSameNextStepAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        TrainConfig c = TestData.tinyConfig();
        c.steps = 3;
        ObjectMapper json = new ObjectMapper();
        StepResult straight;
        Map<String, float[]> straightParams;
        try (Trainer t = Trainer.create(c, new ClipSource(library, c))) {
            t.step();
            t.step();
            straight = t.step();
            straightParams = snapshot(t);
        }
        Path ckpt = dir.resolve(Checkpoint.dirName(2));
        try (Trainer t = Trainer.create(c, new ClipSource(library, c))) {
            t.step();
            t.step();
            t.saveCheckpoint(ckpt, t.state(json));
        }
        try (Trainer t = Trainer.create(c, new ClipSource(library, c))) {
            t.restore(ckpt);
            assertEquals(2, t.completedSteps());
            StepResult resumed = t.step();
            assertEquals(straight.step(), resumed.step());
            assertEquals(straight.loss(), resumed.loss(), 1e-6, "loss of the step after resume");
            assertEquals(straight.accuracy(), resumed.accuracy(), 1e-9);
            Map<String, float[]> after = snapshot(t);
            for (Map.Entry<String, float[]> e : straightParams.entrySet()) {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), 1e-6f, e.getKey());
            }
        }
    }

    @Test
    void frozenStagesKeepTheirWeightsUntilTheirStepThenTrain() {
        TrainConfig c = TestData.tinyConfig();
        c.freeze = "layer1";
        c.freezeSteps = 2;
        c.steps = 3;
        try (Trainer t = Trainer.create(c, new ClipSource(library, c))) {
            Map<String, float[]> start = snapshot(t);
            t.step();
            t.step();
            Map<String, float[]> frozen = snapshot(t);
            for (String name : List.of("trunk.conv1.weight", "trunk.bn1.gamma", "trunk.layer1.1.conv2.weight")) {
                assertArrayEquals(start.get(name), frozen.get(name), 0f, name + " moved while frozen");
            }
            assertChanged(start, frozen, "trunk.layer2.0.conv1.weight");
            t.step();
            Map<String, float[]> thawed = snapshot(t);
            assertChanged(frozen, thawed, "trunk.conv1.weight");
            assertChanged(frozen, thawed, "trunk.layer1.1.conv2.weight");
        }
    }

    private static void assertChanged(Map<String, float[]> before, Map<String, float[]> after, String name) {
        float[] a = before.get(name);
        float[] b = after.get(name);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - b[i]);
        }
        assertTrue(diff > 0, name + " did not train");
    }

    private static Map<String, float[]> snapshot(Trainer t) {
        Map<String, float[]> out = new LinkedHashMap<>();
        t.model().namedParameters().forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }
}
