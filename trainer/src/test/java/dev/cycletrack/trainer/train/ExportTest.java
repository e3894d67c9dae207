package dev.cycletrack.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.InputNormalization;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.trainer.TestData;
import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.VideoLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {

    @Test
    void exportsALayer3ArtifactWithProvenanceThatTheCoreLoads(@TempDir Path dir) throws Exception {
        TrainConfig c = TestData.tinyConfig();
        c.objective = "fc3";
        c.padding = "zero";
        c.trainLayer = "layer4";
        c.headHidden = 32;
        c.steps = 1;
        VideoLibrary lib = TestData.sampleLibrary(6, 40);
        RgbImage frame = lib.videos().get(0).frames().get(0);
        try (Trainer t = Trainer.create(c, new ClipSource(lib, c))) {
            t.step();
            Map<String, Object> prov = Exporter.provenance(c, 1, 2, Map.of("videos", List.of("sample")), "abc123");
            Path target = dir.resolve("model");
            Exporter.export(t.model(), c, "fc3-test", prov, Map.of("JF", 12.5), target);
            // A second export replaces the first (the best model is re-exported as training goes on).
            Exporter.export(t.model(), c, "fc3-test2", prov, Map.of("JF", 13.5), target);
            try (ModelArtifact a = ModelArtifact.load(target);
                    Encoder fromArtifact = a.encoder();
                    Encoder fromTrainer = Encoder.fromTrunk(t.model().trunk(), InputNormalization.IMAGENET)) {
                assertEquals("fc3-test2", a.metadata().version());
                assertEquals(PaddingMode.ZERO, a.metadata().padding());
                assertEquals("fc3", a.metadata().provenance().get("objective"));
                assertEquals("zero", a.metadata().provenance().get("padding"));
                assertEquals("abc123", a.metadata().provenance().get("git_commit"));
                assertEquals(13.5, a.metadata().evaluation().get("JF"));
                assertTrue(a.metadata().provenance().containsKey("config"));
                FeatureMap x = fromArtifact.encode(frame);
                FeatureMap y = fromTrainer.encode(frame);
                assertEquals(256, x.channels());
                assertArrayEquals(y.data(), x.data(), 1e-5f);
            }
        }
    }
}
