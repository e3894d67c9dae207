package dev.cycletrack.core.encoder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code model.json} says about a model: the architecture and how it pads, which layer gives the
 * features, how input is normalised, a version string, free-form provenance (how it was made: method,
 * seed, data, steps, git commit...), evaluation scores and the creation time. Format version,
 * stride and channel count are derived from the architecture and checked when reading.
 */
public record ModelMetadata(
        String architecture,
        PaddingMode padding,
        FeatureLayer featureLayer,
        InputNormalization normalization,
        String version,
        Map<String, Object> provenance,
        Map<String, Double> evaluation,
        Instant created) {

    /** The model.json format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    public ModelMetadata {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(featureLayer, "featureLayer");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(created, "created");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a model needs a non-blank version string");
        }
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance == null ? Map.of() : provenance));
        evaluation = Collections.unmodifiableMap(new LinkedHashMap<>(evaluation == null ? Map.of() : evaluation));
    }

    /** Metadata for a ResNet-18 layer3 encoder with test-time (ImageNet) normalisation, created now. */
    public static ModelMetadata of(String version, PaddingMode padding, Map<String, Object> provenance) {
        return new ModelMetadata(
                ResNetTrunk.ARCHITECTURE,
                padding,
                FeatureLayer.LAYER3,
                InputNormalization.IMAGENET,
                version,
                provenance,
                Map.of(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Feature channels per cell. */
    public int featureChannels() {
        return featureLayer.channels();
    }

    /** Output stride of the features. */
    public int stride() {
        return featureLayer.stride();
    }

    /** A copy with these scores added to (or replacing) the existing ones. */
    public ModelMetadata withEvaluation(Map<String, Double> scores) {
        Map<String, Double> merged = new LinkedHashMap<>(evaluation);
        merged.putAll(scores);
        return new ModelMetadata(
                architecture, padding, featureLayer, normalization, version, provenance, merged, created);
    }

    /** A copy with another version string. */
    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(
                architecture, padding, featureLayer, normalization, newVersion, provenance, evaluation, created);
    }
}
