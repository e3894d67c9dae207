package dev.cycletrack.core.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A trained (or random) encoder as a directory:
 *
 * <pre>
 * trunk.params       DJL parameter file of the trunk up to layer3 (Block.saveParameters), ~11 MB fp32
 * model.json         {@link ModelMetadata}: architecture, padding, feature layer, normalisation, version...
 * checksums.sha256   sha256sum lines for the two files above
 * </pre>
 *
 * {@link #load} refuses, with a {@link ModelArtifactException} naming the file and the problem, a
 * missing directory or file, a checksum mismatch, bad or inconsistent JSON, an unknown architecture,
 * padding or layer, a truncated parameter file, extra data, and parameter shapes that do not fit the
 * architecture. A loaded artifact owns native memory: close it when done (encoders made from it are
 * independent snapshots and stay usable).
 */
public final class ModelArtifact implements AutoCloseable {

    public static final String PARAMETERS_FILE = "trunk.params";
    public static final String METADATA_FILE = "model.json";
    public static final String CHECKSUM_FILE = "checksums.sha256";

    private final ModelMetadata metadata;
    private final ResNetTrunk trunk;
    private final NDManager owned;

    private ModelArtifact(ModelMetadata metadata, ResNetTrunk trunk, NDManager owned) {
        this.metadata = metadata;
        this.trunk = trunk;
        this.owned = owned;
    }

    /**
     * Wraps an initialised trunk (a layer4 training trunk is cut at layer3; its parameters are
     * shared, not copied, and stay owned by the caller).
     */
    public static ModelArtifact of(ResNetTrunk trunk, ModelMetadata metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (!trunk.isInitialized()) {
            throw new IllegalArgumentException("the trunk has no parameters yet");
        }
        if (trunk.padding() != metadata.padding()) {
            throw new IllegalArgumentException(
                    "trunk pads with " + trunk.padding().id() + " but the metadata says "
                            + metadata.padding().id());
        }
        return new ModelArtifact(metadata, trunk.upTo(metadata.featureLayer()), null);
    }

    /** A randomly initialised encoder (the {@code random} baseline and tests); same seed, same weights. */
    public static ModelArtifact createRandom(long seed, PaddingMode padding) {
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        ResNetTrunk trunk = ResNetTrunk.create(padding, FeatureLayer.LAYER3);
        trunk.initialize(manager, seed);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("method", "random-init");
        provenance.put("init", "kaiming_normal(fan_out, relu) convs, BN gamma 1 beta 0");
        provenance.put("seed", seed);
        ModelMetadata metadata = ModelMetadata.of("random-" + padding.id() + "-seed" + seed, padding, provenance);
        return new ModelArtifact(metadata, trunk, manager);
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** The layer3 trunk (for inference, wrap it in an {@link Encoder}). */
    public ResNetTrunk trunk() {
        return trunk;
    }

    /** The same weights with other metadata (e.g. evaluation scores added); shares the parameters. */
    public ModelArtifact withMetadata(ModelMetadata newMetadata) {
        return of(trunk, newMetadata);
    }

    /** An encoder on a snapshot of these weights. */
    public Encoder encoder() {
        return Encoder.fromArtifact(this);
    }

    /**
     * Writes the artifact to {@code dir}, which must not exist or be empty. The files are written to a
     * sibling temporary directory first and moved into place, so a failed save leaves no partial
     * artifact under {@code dir}.
     */
    public void save(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new IOException(target + ": exists and is not a directory");
            }
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(target + ": not empty; refusing to overwrite an existing artifact");
                }
            }
        }
        Path parent = Objects.requireNonNull(target.getParent(), "artifact directory needs a parent");
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            try (OutputStream file = Files.newOutputStream(tmp.resolve(PARAMETERS_FILE));
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16))) {
                trunk.saveParameters(out);
            }
            Files.write(tmp.resolve(METADATA_FILE), MetadataJson.write(metadata));
            Checksums.write(tmp, CHECKSUM_FILE, List.of(METADATA_FILE, PARAMETERS_FILE));
            Files.deleteIfExists(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Loads and validates an artifact directory. */
    public static ModelArtifact load(Path dir) throws ModelArtifactException {
        if (!Files.exists(dir)) {
            throw new ModelArtifactException(dir, "model artifact directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelArtifactException(dir, "not a directory (a model artifact is a directory)");
        }
        Path sumsFile = dir.resolve(CHECKSUM_FILE);
        Path metaFile = dir.resolve(METADATA_FILE);
        Path paramsFile = dir.resolve(PARAMETERS_FILE);
        for (Path required : List.of(sumsFile, metaFile, paramsFile)) {
            if (!Files.isRegularFile(required)) {
                throw new ModelArtifactException(required, "missing from the model artifact");
            }
        }
        Map<String, String> sums;
        try {
            sums = Checksums.read(sumsFile);
        } catch (IOException e) {
            throw new ModelArtifactException(sumsFile, "cannot be read: " + e.getMessage(), e);
        }
        byte[] metaBytes = readAll(metaFile);
        byte[] paramBytes = readAll(paramsFile);
        verify(sums, sumsFile, metaFile, metaBytes);
        verify(sums, sumsFile, paramsFile, paramBytes);
        for (String listed : sums.keySet()) {
            if (!listed.equals(METADATA_FILE) && !listed.equals(PARAMETERS_FILE)) {
                verifyExtra(dir.resolve(listed), sums.get(listed));
            }
        }
        ModelMetadata metadata = MetadataJson.read(metaFile, metaBytes);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            ResNetTrunk trunk = ResNetTrunk.create(metadata.padding(), metadata.featureLayer());
            loadParameters(trunk, paramsFile, paramBytes, manager);
            return new ModelArtifact(metadata, trunk, manager);
        } catch (ModelArtifactException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Reads the parameters into {@code trunk} and checks they are exactly what the architecture needs. */
    static void loadParameters(ResNetTrunk trunk, Path file, byte[] bytes, NDManager manager)
            throws ModelArtifactException {
        Map<String, Parameter> params = trunk.namedParameters();
        Map<String, Shape> expected = new LinkedHashMap<>();
        params.forEach((name, p) -> expected.put(name, p.getShape()));
        String description =
                ResNetTrunk.ARCHITECTURE + " up to " + trunk.lastLayer().id();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try (DataInputStream data = new DataInputStream(in)) {
            trunk.loadParameters(manager, data);
        } catch (EOFException e) {
            throw new ModelArtifactException(
                    file,
                    "truncated: the file ends inside parameter " + firstUnloaded(params) + " (" + bytes.length
                            + " bytes; a " + description + " needs all " + params.size() + " parameters)",
                    e);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ModelArtifactException(
                    file,
                    "not a " + description + " parameter file (failed near parameter " + firstUnloaded(params) + ": "
                            + e.getMessage() + ")",
                    e);
        }
        if (in.available() > 0) {
            throw new ModelArtifactException(
                    file,
                    in.available() + " bytes left over after the last parameter: the file" + " holds more than a "
                            + description + " (a trunk to layer4, or another model?)");
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            Shape want = expected.get(e.getKey());
            Shape got = p.getArray().getShape();
            if (!got.equals(want) || p.getArray().getDataType() != DataType.FLOAT32) {
                wrong.add(e.getKey() + " is " + p.getArray().getDataType() + got + ", expected float32" + want);
            }
        }
        if (!wrong.isEmpty()) {
            throw new ModelArtifactException(
                    file,
                    "parameter shapes do not match " + description + ": "
                            + String.join("; ", wrong.subList(0, Math.min(3, wrong.size())))
                            + (wrong.size() > 3 ? " (and " + (wrong.size() - 3) + " more)" : ""));
        }
    }

    private static String firstUnloaded(Map<String, Parameter> params) {
        return params.entrySet().stream()
                .filter(e -> !e.getValue().isInitialized())
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("(none: all parameters were read)");
    }

    private static void verify(Map<String, String> sums, Path sumsFile, Path file, byte[] bytes)
            throws ModelArtifactException {
        String name = file.getFileName().toString();
        String want = sums.get(name);
        if (want == null) {
            throw new ModelArtifactException(sumsFile, "has no checksum for " + name);
        }
        String got = Checksums.sha256(bytes);
        if (!got.equals(want)) {
            throw new ModelArtifactException(
                    file,
                    "checksum mismatch (sha256 " + got + ", " + CHECKSUM_FILE + " says " + want
                            + "): the file is corrupt or was changed after saving");
        }
    }

    private static void verifyExtra(Path file, String want) throws ModelArtifactException {
        if (!Files.isRegularFile(file)) {
            throw new ModelArtifactException(file, "listed in " + CHECKSUM_FILE + " but missing");
        }
        try {
            String got = Checksums.sha256(file);
            if (!got.equals(want)) {
                throw new ModelArtifactException(
                        file,
                        "checksum mismatch (sha256 " + got + ", " + CHECKSUM_FILE + " says " + want
                                + "): the file is corrupt or was changed after saving");
            }
        } catch (IOException e) {
            throw new ModelArtifactException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) throws ModelArtifactException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelArtifactException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Frees the parameters of a loaded or random artifact; a no-op for one wrapping a caller's trunk. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
