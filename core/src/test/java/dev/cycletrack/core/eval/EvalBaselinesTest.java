package dev.cycletrack.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cycletrack.core.testutil.TestVectors;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The {@code eval} command end to end (readers, trackers, metrics, JSON) against the reference
 * baselines of shared/testdata/baselines-dev.json: identity and lk on DAVIS-2016, BADJA and J-HMDB,
 * per sequence and in the mean, to the reference's 4 decimals.
 */
class EvalBaselinesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"davis2016,identity", "davis2016,lk", "badja,identity", "badja,lk", "jhmdb,identity", "jhmdb,lk"})
    void reproducesReferenceBaselines(String dataset, String method) throws Exception {
        JsonNode reference =
                TestVectors.require("baselines-dev.json").get(dataset).get(method);
        Path data = TestVectors.requireData("");
        Path json = tmp.resolve(dataset + "-" + method + ".json");
        int code = new CommandLine(new EvalCommand())
                .execute(
                        "--dataset", dataset, "--root", data.toString(), "--method", method, "--json", json.toString());
        assertEquals(0, code, "eval exit code");
        JsonNode got = TestVectors.read(json);
        assertEquals(dataset, got.get("dataset").asText());
        assertEquals(method, got.get("method").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        reference.get("sequences").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> seq = it.next();
            JsonNode ours = got.get("sequences").get(seq.getKey());
            for (String metric : metrics(dataset)) {
                assertEquals(
                        seq.getValue().get(metric).asDouble(),
                        ours.get(metric).asDouble(),
                        1e-4,
                        dataset + "/" + method + "/" + seq.getKey() + " " + metric);
            }
        }
        for (String metric : metrics(dataset)) {
            assertEquals(
                    reference.get(metric).asDouble(),
                    got.get("mean").get(metric).asDouble(),
                    1e-4,
                    dataset + "/" + method + " mean " + metric);
        }
    }

    private static String[] metrics(String dataset) {
        return dataset.equals("davis2016") ? new String[] {"J", "F", "JF"} : new String[] {"pck@0.1", "pck@0.2"};
    }
}
