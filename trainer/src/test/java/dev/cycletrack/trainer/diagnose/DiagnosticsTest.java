package dev.cycletrack.trainer.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.trainer.TestData;
import dev.cycletrack.trainer.cli.DiagnoseCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DiagnosticsTest {

    private static FeatureMap random(int h, int w, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[h * w * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FeatureMap(h, w, c, d).l2NormaliseInPlace();
    }

    @Test
    void affinityRowsSumToOneAndIdenticalMapsConcentrateOnTheDiagonal() {
        FeatureMap a = random(6, 6, 64, 1);
        float[] self = Diagnostics.rowSoftmaxAffinity(a, a, 0.05);
        for (int i = 0; i < 36; i++) {
            double s = 0;
            for (int j = 0; j < 36; j++) {
                s += self[i * 36 + j];
            }
            assertEquals(1.0, s, 1e-5);
        }
        assertTrue(Diagnostics.diagonalMass(self, 36) > 0.99);
        assertEquals(1.0, Diagnostics.diagonalArgmax(self, 36), 0);
        // Unrelated random features: the diagonal holds about 1/P of the mass.
        float[] unrelated = Diagnostics.rowSoftmaxAffinity(a, random(6, 6, 64, 2), 0.05);
        double mass = Diagnostics.diagonalMass(unrelated, 36);
        assertTrue(mass < 4.0 / 36, "mass " + mass);
    }

    @Test
    void pcaImageHasTheGridSizeAndSpansTheRange() {
        FeatureMap f = random(5, 7, 32, 3);
        double[] explained = new double[3];
        RgbImage img = Diagnostics.pcaImage(f, explained);
        assertEquals(7, img.width());
        assertEquals(5, img.height());
        assertTrue(explained[0] >= explained[1] && explained[1] >= explained[2] && explained[2] > 0);
        int lo = 255;
        int hi = 0;
        for (byte b : img.rgb()) {
            lo = Math.min(lo, b & 0xff);
            hi = Math.max(hi, b & 0xff);
        }
        assertEquals(0, lo);
        assertEquals(255, hi);
    }

    @Test
    void commandWritesPicturesAndTheShortcutIndex(@TempDir Path out) throws Exception {
        int code = new CommandLine(new DiagnoseCommand())
                .execute(
                        "--model",
                        "random",
                        "--padding",
                        "zero",
                        "--video",
                        TestData.sampleVideo().toString(),
                        "--size",
                        "64",
                        "--out",
                        out.toString());
        assertEquals(0, code);
        for (String f : new String[] {"affinity-neighbour.png", "affinity-unrelated.png", "pca.png", "frames.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("diagnose.json").toFile());
        assertEquals(64, json.get("cells").asInt());
        assertEquals(1.0 / 64, json.get("chance").asDouble(), 1e-12);
        double index = json.get("shortcut_index").asDouble();
        assertTrue(index > 0 && index < 1, "shortcut index " + index);
    }
}
