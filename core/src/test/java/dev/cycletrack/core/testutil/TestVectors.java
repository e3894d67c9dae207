package dev.cycletrack.core.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cycletrack.core.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the reference vectors of {@code shared/testdata} (see its README): arrays are objects
 * {@code {"shape", "dtype", "data"}} with row-major data; masks are RLE starting with a run of 0s.
 * Tests that need them call {@link #require(String)}, which skips with a message where shared/ is
 * absent.
 */
public final class TestVectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestVectors() {}

    /** Loads {@code shared/testdata/<name>}, or skips the test with a clear message. */
    public static JsonNode require(String name) {
        Optional<Path> dir = SharedData.testdata();
        assumeTrue(dir.isPresent(), "shared/testdata not found (set CYCLETRACK_SHARED): skipping reference test");
        Path file = dir.get().resolve(name);
        assumeTrue(Files.isRegularFile(file), "shared/testdata/" + name + " not found: skipping reference test");
        return read(file);
    }

    /** Skips the test unless {@code shared/data/<sub>} exists, and returns it. */
    public static Path requireData(String sub) {
        Optional<Path> dir = SharedData.data();
        assumeTrue(dir.isPresent(), "shared/data not found (set CYCLETRACK_SHARED): skipping test on real data");
        Path p = dir.get().resolve(sub);
        assumeTrue(Files.exists(p), "shared/data/" + sub + " not found: skipping test on real data");
        return p;
    }

    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static int[] shape(JsonNode array) {
        JsonNode s = array.get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asInt();
        }
        return out;
    }

    public static float[] floats(JsonNode array) {
        JsonNode d = array.has("data") ? array.get("data") : array;
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) {
            // Shortest round-trip decimal of a float32: parse as float, not double.
            out[i] = Float.parseFloat(d.get(i).asText());
        }
        return out;
    }

    public static double[] doubles(JsonNode array) {
        JsonNode d = array.has("data") ? array.get("data") : array;
        double[] out = new double[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i).asDouble();
        }
        return out;
    }

    public static int[] ints(JsonNode array) {
        JsonNode d = array.has("data") ? array.get("data") : array;
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i).asInt();
        }
        return out;
    }

    /** Decodes an RLE mask {@code {"height","width","rle"}} to a row-major boolean array. */
    public static boolean[] rle(JsonNode mask) {
        int h = mask.get("height").asInt();
        int w = mask.get("width").asInt();
        boolean[] out = new boolean[h * w];
        int pos = 0;
        boolean value = false;
        for (JsonNode run : mask.get("rle")) {
            int len = run.asInt();
            if (value) {
                java.util.Arrays.fill(out, pos, pos + len, true);
            }
            pos += len;
            value = !value;
        }
        if (pos != h * w) {
            throw new IllegalArgumentException("RLE runs sum to " + pos + ", expected " + h * w);
        }
        return out;
    }
}
