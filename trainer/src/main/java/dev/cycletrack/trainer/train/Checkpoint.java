package dev.cycletrack.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.trainer.nn.Adam;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint: a directory {@code step-NNNNNNN/} holding
 *
 * <pre>
 * params.bin   every model parameter (BN running statistics included) by dotted name
 * adam.bin     Adam's step count and first/second moments, by parameter name
 * state.json   step, clips seen, data position (epoch, index), seed, config, elapsed time, best score
 * </pre>
 *
 * All randomness of a run is counter-based (derived from the seed and the step or clip number), so the
 * step number restores the random state and the data position exactly. A checkpoint is written to a
 * temporary directory and renamed into place, so an interrupted save leaves no half checkpoint.
 */
public final class Checkpoint {

    public static final String PARAMS = "params.bin";
    public static final String OPTIMIZER = "adam.bin";
    public static final String STATE = "state.json";
    private static final int MAGIC = 0x43544b31; // "CTK1"

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoint() {}

    /** The directory name of the checkpoint after {@code step} completed steps. */
    public static String dirName(long step) {
        return String.format("step-%07d", step);
    }

    /** Writes a checkpoint into {@code dir} (must not exist). */
    public static void save(Path dir, Map<String, Parameter> params, Adam adam, ObjectNode state) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
        try {
            try (DataOutputStream out = open(tmp.resolve(PARAMS))) {
                out.writeInt(MAGIC);
                out.writeInt(params.size());
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    out.writeUTF(e.getKey());
                    writeArray(out, e.getValue().getArray());
                }
            }
            try (DataOutputStream out = open(tmp.resolve(OPTIMIZER))) {
                out.writeInt(MAGIC);
                out.writeLong(adam.steps());
                List<Map.Entry<String, Parameter>> ps = adam.parameters();
                out.writeInt(ps.size());
                for (int i = 0; i < ps.size(); i++) {
                    out.writeUTF(ps.get(i).getKey());
                    writeArray(out, adam.means().get(i));
                    writeArray(out, adam.variances().get(i));
                }
            }
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
            if (Files.exists(dir)) {
                deleteRecursively(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(tmp);
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream os = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads state.json. */
    public static ObjectNode readState(Path dir) throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing (not a training checkpoint directory)");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (!(node instanceof ObjectNode obj) || !node.has("step")) {
                throw new IOException(file + ": not a checkpoint state (no \"step\")");
            }
            return obj;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Copies the saved values into the (initialised) parameters and Adam moments; checks names and shapes. */
    public static void restore(Path dir, Map<String, Parameter> params, Adam adam, NDManager manager)
            throws IOException {
        Path file = dir.resolve(PARAMS);
        try (DataInputStream in = openIn(file);
                NDManager tmp = manager.newSubManager()) {
            expectMagic(in, file);
            int n = in.readInt();
            if (n != params.size()) {
                throw new IOException(file + ": holds " + n + " parameters, the model has " + params.size()
                        + " (another architecture? check --train-layer / --head-hidden / --padding)");
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                String name = in.readUTF();
                if (!name.equals(e.getKey())) {
                    throw new IOException(file + ": parameter " + name + " where the model has " + e.getKey());
                }
                copyInto(readArray(in, tmp, file), e.getValue().getArray(), file, name);
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated", e);
        }
        Path opt = dir.resolve(OPTIMIZER);
        try (DataInputStream in = openIn(opt);
                NDManager tmp = manager.newSubManager()) {
            expectMagic(in, opt);
            long steps = in.readLong();
            int n = in.readInt();
            List<Map.Entry<String, Parameter>> ps = adam.parameters();
            if (n != ps.size()) {
                throw new IOException(
                        opt + ": optimizer state for " + n + " parameters, the model trains " + ps.size());
            }
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                if (!name.equals(ps.get(i).getKey())) {
                    throw new IOException(opt + ": state of " + name + " where the model has "
                            + ps.get(i).getKey());
                }
                copyInto(readArray(in, tmp, opt), adam.means().get(i), opt, name + " (mean)");
                copyInto(readArray(in, tmp, opt), adam.variances().get(i), opt, name + " (variance)");
            }
            adam.restoreSteps(steps);
        } catch (EOFException e) {
            throw new IOException(opt + ": truncated", e);
        }
    }

    private static DataInputStream openIn(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing from the checkpoint");
        }
        InputStream is = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(is, 1 << 16));
    }

    private static void expectMagic(DataInputStream in, Path file) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(file + ": not a Cycletrack checkpoint file (bad magic number)");
        }
    }

    private static NDArray readArray(DataInputStream in, NDManager manager, Path file) throws IOException {
        int len = in.readInt();
        if (len <= 0 || len > (1 << 30)) {
            throw new IOException(file + ": corrupt array length " + len);
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return manager.decode(bytes);
    }

    private static void copyInto(NDArray src, NDArray dst, Path file, String name) throws IOException {
        if (!src.getShape().equals(dst.getShape()) || src.getDataType() != dst.getDataType()) {
            throw new IOException(file + ": " + name + " is " + src.getDataType() + src.getShape()
                    + ", the model needs " + dst.getDataType() + dst.getShape());
        }
        dst.set(src.toByteBuffer());
    }

    /** The checkpoint directories under {@code checkpointsDir}, oldest first. */
    public static List<Path> list(Path checkpointsDir) throws IOException {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /**
     * Resolves {@code --resume PATH}: a checkpoint directory itself, a checkpoints folder, or a run's
     * output folder (its latest checkpoint).
     */
    public static Optional<Path> resolve(Path path) throws IOException {
        if (Files.isRegularFile(path.resolve(STATE))) {
            return Optional.of(path);
        }
        List<Path> inside = list(path);
        if (inside.isEmpty()) {
            inside = list(path.resolve("checkpoints"));
        }
        return inside.isEmpty() ? Optional.empty() : Optional.of(inside.get(inside.size() - 1));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
