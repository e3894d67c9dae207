package dev.cycletrack.core.encoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code model.json}. Reading checks every field and says which one is wrong;
 * unknown extra fields are ignored so that later minor additions stay readable.
 */
final class MetadataJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetadataJson() {}

    static byte[] write(ModelMetadata m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", ModelMetadata.FORMAT_VERSION);
        root.put("architecture", m.architecture());
        root.put("padding", m.padding().id());
        root.put("featureLayer", m.featureLayer().id());
        root.put("stride", m.stride());
        root.put("featureChannels", m.featureChannels());
        ObjectNode norm = root.putObject("normalization");
        ArrayNode mean = norm.putArray("mean");
        ArrayNode std = norm.putArray("std");
        for (int c = 0; c < 3; c++) {
            mean.add(m.normalization().mean()[c]);
            std.add(m.normalization().std()[c]);
        }
        root.put("version", m.version());
        root.put("created", m.created().toString());
        root.set("provenance", MAPPER.valueToTree(m.provenance()));
        root.set("evaluation", MAPPER.valueToTree(m.evaluation()));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ModelMetadata read(Path file, byte[] bytes) throws ModelArtifactException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new ModelArtifactException(file, "not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelArtifactException(file, "expected a JSON object");
        }
        Fields f = new Fields(file, root);
        int format = f.integer("formatVersion");
        if (format != ModelMetadata.FORMAT_VERSION) {
            throw new ModelArtifactException(
                    file,
                    "unsupported formatVersion " + format + " (this build reads " + ModelMetadata.FORMAT_VERSION + ")");
        }
        String architecture = f.text("architecture");
        if (!ResNetTrunk.ARCHITECTURE.equals(architecture)) {
            throw new ModelArtifactException(
                    file, "unknown architecture '" + architecture + "' (expected " + ResNetTrunk.ARCHITECTURE + ")");
        }
        PaddingMode padding = f.parse("padding", PaddingMode::fromId);
        FeatureLayer layer = f.parse("featureLayer", FeatureLayer::fromId);
        if (layer != FeatureLayer.LAYER3) {
            throw new ModelArtifactException(
                    file, "featureLayer '" + layer.id() + "' is not served: inference features come from layer3");
        }
        if (f.integer("stride") != layer.stride()) {
            throw new ModelArtifactException(
                    file,
                    "stride " + f.integer("stride") + " does not match " + architecture + " " + layer.id() + " ("
                            + layer.stride() + ")");
        }
        if (f.integer("featureChannels") != layer.channels()) {
            throw new ModelArtifactException(
                    file,
                    "featureChannels " + f.integer("featureChannels") + " does not match " + architecture + " "
                            + layer.id() + " (" + layer.channels() + ")");
        }
        InputNormalization normalization = f.normalization("normalization");
        String version = f.text("version");
        if (version.isBlank()) {
            throw new ModelArtifactException(file, "field 'version' must be a non-blank string");
        }
        Instant created = f.parse("created", Instant::parse);
        Map<String, Object> provenance = f.object("provenance");
        Map<String, Double> evaluation = new LinkedHashMap<>();
        JsonNode scores = f.optional("evaluation");
        if (scores != null) {
            if (!scores.isObject()) {
                throw new ModelArtifactException(file, "field 'evaluation' must be an object of numbers");
            }
            for (Map.Entry<String, JsonNode> e : scores.properties()) {
                if (!e.getValue().isNumber()) {
                    throw new ModelArtifactException(file, "evaluation score '" + e.getKey() + "' is not a number");
                }
                evaluation.put(e.getKey(), e.getValue().asDouble());
            }
        }
        try {
            return new ModelMetadata(
                    architecture, padding, layer, normalization, version, provenance, evaluation, created);
        } catch (IllegalArgumentException e) {
            throw new ModelArtifactException(file, e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access to the fields of one JSON object, failing with the file and field name. */
    private record Fields(Path file, JsonNode root) {

        interface Parser<T> {
            T parse(String text);
        }

        JsonNode required(String name) throws ModelArtifactException {
            JsonNode node = root.get(name);
            if (node == null || node.isNull()) {
                throw new ModelArtifactException(file, "missing field '" + name + "'");
            }
            return node;
        }

        JsonNode optional(String name) {
            JsonNode node = root.get(name);
            return node == null || node.isNull() ? null : node;
        }

        String text(String name) throws ModelArtifactException {
            JsonNode node = required(name);
            if (!node.isTextual()) {
                throw new ModelArtifactException(file, "field '" + name + "' must be a string, got " + node);
            }
            return node.asText();
        }

        int integer(String name) throws ModelArtifactException {
            JsonNode node = required(name);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new ModelArtifactException(file, "field '" + name + "' must be an integer, got " + node);
            }
            return node.asInt();
        }

        <T> T parse(String name, Parser<T> parser) throws ModelArtifactException {
            String text = text(name);
            try {
                return parser.parse(text);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new ModelArtifactException(file, "field '" + name + "': " + e.getMessage(), e);
            }
        }

        Map<String, Object> object(String name) throws ModelArtifactException {
            JsonNode node = optional(name);
            if (node == null) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw new ModelArtifactException(file, "field '" + name + "' must be an object, got " + node);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = MAPPER.convertValue(node, LinkedHashMap.class);
            return map;
        }

        InputNormalization normalization(String name) throws ModelArtifactException {
            JsonNode node = required(name);
            float[] mean = triple(name, node.get("mean"), "mean");
            float[] std = triple(name, node.get("std"), "std");
            try {
                return new InputNormalization(mean, std);
            } catch (IllegalArgumentException e) {
                throw new ModelArtifactException(file, "field '" + name + "': " + e.getMessage(), e);
            }
        }

        private float[] triple(String parent, JsonNode node, String name) throws ModelArtifactException {
            if (node == null || !node.isArray() || node.size() != 3) {
                throw new ModelArtifactException(
                        file, "field '" + parent + "." + name + "' must be an array of 3 numbers (RGB)");
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                if (!node.get(i).isNumber()) {
                    throw new ModelArtifactException(
                            file, "field '" + parent + "." + name + "' must hold numbers, got " + node);
                }
                out[i] = (float) node.get(i).asDouble();
            }
            return out;
        }
    }
}
