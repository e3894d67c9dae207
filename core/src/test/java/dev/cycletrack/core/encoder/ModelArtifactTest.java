package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelArtifactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RgbImage IMAGE = EncoderTest.randomImage(48, 40, 21);

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void saveOne() throws IOException {
        dir = tmp.resolve("model-v1");
        try (ModelArtifact artifact = ModelArtifact.createRandom(42, PaddingMode.REFLECT)) {
            artifact.save(dir);
        }
    }

    private static FeatureMap features(ModelArtifact artifact) {
        try (Encoder encoder = artifact.encoder()) {
            return encoder.encode(IMAGE);
        }
    }

    /** Makes the checksums agree with the files again, so the check under test is the one after it. */
    private void rewriteChecksums() throws IOException {
        Checksums.write(
                dir, ModelArtifact.CHECKSUM_FILE, List.of(ModelArtifact.METADATA_FILE, ModelArtifact.PARAMETERS_FILE));
    }

    private void editJson(Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(ModelArtifact.METADATA_FILE);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        JSON.writeValue(file.toFile(), root);
        rewriteChecksums();
    }

    private ModelArtifactException refused(Path fileAtFault, String... fragments) {
        ModelArtifactException e = assertThrows(ModelArtifactException.class, () -> ModelArtifact.load(dir));
        assertEquals(fileAtFault, e.file(), e.getMessage());
        assertTrue(e.getMessage().startsWith(fileAtFault.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void saveThenLoadGivesIdenticalFeaturesAndMetadata() throws Exception {
        try (ModelArtifact original = ModelArtifact.createRandom(42, PaddingMode.REFLECT);
                ModelArtifact loaded = ModelArtifact.load(dir)) {
            assertArrayEquals(features(original).data(), features(loaded).data());
            ModelMetadata m = loaded.metadata();
            assertEquals(PaddingMode.REFLECT, m.padding());
            assertEquals(FeatureLayer.LAYER3, m.featureLayer());
            assertEquals(InputNormalization.IMAGENET, m.normalization());
            assertEquals("random-reflect-seed42", m.version());
            assertEquals(42, ((Number) m.provenance().get("seed")).longValue());
            assertEquals("random-init", m.provenance().get("method"));
            assertEquals(original.metadata().version(), m.version());
        }
        assertEquals(
                List.of("checksums.sha256", "model.json", "trunk.params"),
                Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
        long size = Files.size(dir.resolve(ModelArtifact.PARAMETERS_FILE));
        // 2,782,784 trained values + 4,480 BN running statistics, fp32, plus small headers.
        assertTrue(size >= 11_149_056 && size < 11_200_000, "trunk.params is " + size + " bytes");
        String sums = Files.readString(dir.resolve(ModelArtifact.CHECKSUM_FILE));
        assertTrue(sums.matches("[0-9a-f]{64}  model\\.json\n[0-9a-f]{64}  trunk\\.params\n"), sums);
    }

    @Test
    void metadataRoundTripsEveryField() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk trunk = ResNetTrunk.create(PaddingMode.NONE, FeatureLayer.LAYER4);
            trunk.initialize(m, 9);
            ModelMetadata meta = ModelMetadata.of(
                            "stfc3-2024-01", PaddingMode.NONE, Map.of("steps", 1000, "data", "kinetics-subset"))
                    .withEvaluation(Map.of("davis.JF", 0.41, "jhmdb.pck@0.1", 0.55));
            Path out = tmp.resolve("from-layer4");
            ModelArtifact.of(trunk, meta).save(out);
            try (ModelArtifact loaded = ModelArtifact.load(out)) {
                assertEquals(meta, loaded.metadata());
                assertEquals(FeatureLayer.LAYER3, loaded.trunk().lastLayer());
                try (Encoder a = Encoder.fromTrunk(trunk, InputNormalization.IMAGENET);
                        Encoder b = loaded.encoder()) {
                    RgbImage big = EncoderTest.randomImage(200, 184, 2);
                    assertArrayEquals(a.encode(big).data(), b.encode(big).data());
                }
            }
        }
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        try (ModelArtifact a = ModelArtifact.createRandom(42, PaddingMode.REFLECT);
                ModelArtifact b = ModelArtifact.createRandom(42, PaddingMode.REFLECT);
                ModelArtifact c = ModelArtifact.createRandom(43, PaddingMode.REFLECT)) {
            assertArrayEquals(features(a).data(), features(b).data());
            assertFalse(Arrays.equals(features(a).data(), features(c).data()));
        }
    }

    @Test
    void refusesToOverwrite() {
        try (ModelArtifact artifact = ModelArtifact.createRandom(1, PaddingMode.ZERO)) {
            IOException e = assertThrows(IOException.class, () -> artifact.save(dir));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        }
    }

    @Test
    void missingDirectory() {
        dir = tmp.resolve("nope");
        refused(dir, "does not exist");
    }

    @Test
    void fileInsteadOfDirectory() throws IOException {
        dir = Files.writeString(tmp.resolve("model.txt"), "x");
        refused(dir, "not a directory");
    }

    @ParameterizedTest
    @CsvSource({"model.json", "trunk.params", "checksums.sha256"})
    void missingFile(String name) throws IOException {
        Files.delete(dir.resolve(name));
        refused(dir.resolve(name), "missing");
    }

    @Test
    void corruptParametersFailTheChecksum() throws IOException {
        Path params = dir.resolve(ModelArtifact.PARAMETERS_FILE);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(params, bytes);
        refused(params, "checksum mismatch", "corrupt");
    }

    @Test
    void editedMetadataFailsTheChecksum() throws IOException {
        Path meta = dir.resolve(ModelArtifact.METADATA_FILE);
        Files.writeString(meta, Files.readString(meta).replace("reflect", "zero"));
        refused(meta, "checksum mismatch");
    }

    @Test
    void malformedChecksumFile() throws IOException {
        Path sums = dir.resolve(ModelArtifact.CHECKSUM_FILE);
        Files.writeString(sums, "not a checksum line\n");
        refused(sums, "line 1");
    }

    @Test
    void checksumFileWithoutAnEntry() throws IOException {
        Path sums = dir.resolve(ModelArtifact.CHECKSUM_FILE);
        Files.writeString(sums, Files.readAllLines(sums).get(0) + "\n");
        refused(sums, "no checksum for trunk.params");
    }

    @Test
    void truncatedParameters() throws IOException {
        Path params = dir.resolve(ModelArtifact.PARAMETERS_FILE);
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length - 1000));
        refused(params, "checksum mismatch");
        rewriteChecksums();
        refused(params, "truncated", "layer3.1.bn2.running_var");
        Files.write(params, Arrays.copyOf(bytes, bytes.length / 3));
        rewriteChecksums();
        refused(params, "truncated", "layer");
    }

    @Test
    void garbageParameters() throws IOException {
        Path params = dir.resolve(ModelArtifact.PARAMETERS_FILE);
        Files.writeString(params, "this is not a parameter file at all", StandardCharsets.UTF_8);
        rewriteChecksums();
        refused(params, "not a resnet18 up to layer3 parameter file");
    }

    private void writeParameters(ResNetTrunk trunk) throws IOException {
        try (OutputStream file = Files.newOutputStream(dir.resolve(ModelArtifact.PARAMETERS_FILE));
                DataOutputStream out = new DataOutputStream(file)) {
            trunk.saveParameters(out);
        }
        rewriteChecksums();
    }

    @Test
    void parametersOfALayer4TrunkAreTooMuch() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk layer4 = ResNetTrunk.create(PaddingMode.REFLECT, FeatureLayer.LAYER4);
            layer4.initialize(m, 1);
            writeParameters(layer4);
        }
        refused(dir.resolve(ModelArtifact.PARAMETERS_FILE), "bytes left over", "more than a resnet18 up to layer3");
    }

    @Test
    void parameterShapesOfAnotherWidthAreRefused() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNetTrunk narrow = new ResNetTrunk(PaddingMode.REFLECT, FeatureLayer.LAYER3, 32);
            narrow.initialize(m, 1);
            writeParameters(narrow);
        }
        refused(
                dir.resolve(ModelArtifact.PARAMETERS_FILE),
                "parameter shapes do not match",
                "conv1.weight is float32(32, 3, 7, 7), expected float32(64, 3, 7, 7)");
    }

    @Test
    void invalidJson() throws IOException {
        Files.writeString(dir.resolve(ModelArtifact.METADATA_FILE), "{\"formatVersion\": 1, ");
        rewriteChecksums();
        refused(dir.resolve(ModelArtifact.METADATA_FILE), "not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "architecture | resnet50 | unknown architecture 'resnet50'",
                "padding | mirror | unknown padding mode 'mirror'",
                "featureLayer | layer5 | unknown feature layer 'layer5'",
                "featureLayer | layer4 | not served",
                "created | yesterday | field 'created'",
                "version | ' ' | field 'version' must be a non-blank string"
            })
    void invalidField(String field, String value, String message) throws IOException {
        editJson(root -> root.put(field, value));
        refused(dir.resolve(ModelArtifact.METADATA_FILE), message);
    }

    @Test
    void inconsistentNumbersAndMissingFields() throws IOException {
        Path meta = dir.resolve(ModelArtifact.METADATA_FILE);
        editJson(root -> root.put("stride", 16));
        refused(meta, "stride 16");
        editJson(root -> root.put("stride", 8).put("featureChannels", 512));
        refused(meta, "featureChannels 512");
        editJson(root -> root.put("featureChannels", 256).put("formatVersion", 2));
        refused(meta, "unsupported formatVersion 2");
        editJson(root -> root.put("formatVersion", 1).remove("padding"));
        refused(meta, "missing field 'padding'");
        editJson(root -> {
            root.put("padding", "reflect");
            ((ObjectNode) root.get("normalization"))
                    .putArray("std")
                    .add(0.2)
                    .add(0)
                    .add(0.2);
        });
        refused(meta, "normalization");
        editJson(
                root -> ((ObjectNode) root.get("normalization")).putArray("std").add(0.2));
        refused(meta, "normalization.std");
    }
}
