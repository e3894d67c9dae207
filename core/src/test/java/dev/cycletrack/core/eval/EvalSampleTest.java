package dev.cycletrack.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.VideoFrames;
import dev.cycletrack.core.testutil.TestVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eval} on the J-HMDB clip shipped in samples/ (runs without shared/): label propagation with
 * an untrained encoder beats copying frame 0's joints; {@code --method model} with a saved artifact
 * gives exactly what the same encoder gives in memory; overlays are real videos.
 */
class EvalSampleTest {

    @TempDir
    static Path tmp;

    static Path samples;

    @BeforeAll
    static void locate() {
        samples = Samples.locate().orElseThrow(() -> new AssertionError("samples/ folder not found"));
    }

    static JsonNode eval(String name, String... args) {
        Path json = tmp.resolve(name + ".json");
        String[] all = new String[args.length + 6];
        all[0] = "--dataset";
        all[1] = "jhmdb";
        all[2] = "--root";
        all[3] = samples.toString();
        all[4] = "--json";
        all[5] = json.toString();
        System.arraycopy(args, 0, all, 6, args.length);
        int code = new CommandLine(new EvalCommand()).execute(all);
        assertEquals(0, code, "eval exit code for " + String.join(" ", args));
        return TestVectors.read(json);
    }

    @Test
    void untrainedEncoderBeatsIdentityAndSavedArtifactMatchesInMemory() throws Exception {
        JsonNode identity = eval("identity", "--method", "identity");
        JsonNode random = eval(
                "random",
                "--method",
                "random",
                "--seed",
                "0",
                "--overlays",
                tmp.resolve("ov").toString());
        double idPck = identity.get("mean").get("pck@0.2").asDouble();
        double rndPck = random.get("mean").get("pck@0.2").asDouble();
        assertTrue(rndPck > idPck + 20, "random " + rndPck + " vs identity " + idPck);

        Path artifact = tmp.resolve("random-seed0");
        try (ModelArtifact a = ModelArtifact.createRandom(0, PaddingMode.REFLECT)) {
            a.save(artifact);
        }
        JsonNode model = eval("model", "--method", "model", "--model", artifact.toString());
        assertEquals(rndPck, model.get("mean").get("pck@0.2").asDouble(), 0.0);
        assertEquals(
                random.get("mean").get("pck@0.1").asDouble(),
                model.get("mean").get("pck@0.1").asDouble(),
                0.0);

        Path video = tmp.resolve("ov").resolve("Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2.mp4");
        assertTrue(Files.size(video) > 10_000, "overlay video is written");
        int frames = 0;
        try (VideoFrames v = VideoFrames.open(video)) {
            while (v.hasNext()) {
                v.next();
                frames++;
            }
        }
        assertEquals(40, frames, "one overlay frame per clip frame");
    }

    @Test
    void badArgumentsFailWithAClearMessage() {
        CommandLine cl = new CommandLine(new EvalCommand());
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 1;
        });
        int code = cl.execute(
                "--dataset",
                "jhmdb",
                "--root",
                samples.toString(),
                "--method",
                "model",
                "--model",
                tmp.resolve("does-not-exist").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("does-not-exist"), err.toString());
        code = cl.execute("--dataset", "kinetics", "--root", samples.toString(), "--method", "identity");
        assertEquals(1, code);
        assertTrue(err.toString().contains("unknown dataset 'kinetics'"), err.toString());
    }
}
