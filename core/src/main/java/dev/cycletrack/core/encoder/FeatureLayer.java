package dev.cycletrack.core.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The residual stage a trunk ends at. Inference reads LAYER3 (256 channels, stride 8); training runs
 * on to LAYER4 (512 channels, also stride 8 because layer3 and layer4 keep stride 1).
 */
public enum FeatureLayer {
    LAYER3(3, 256),
    LAYER4(4, 512);

    private final int stages;
    private final int channels;

    FeatureLayer(int stages, int channels) {
        this.stages = stages;
        this.channels = channels;
    }

    /** Number of residual stages (layer1..layerN) in a trunk that ends here. */
    public int stages() {
        return stages;
    }

    /** Output channels at this layer. */
    public int channels() {
        return channels;
    }

    /** Output stride relative to the input image (with padding). */
    public int stride() {
        return 8;
    }

    /** The name used in model.json, e.g. {@code layer3}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FeatureLayer fromId(String id) {
        for (FeatureLayer layer : values()) {
            if (layer.id().equals(id)) {
                return layer;
            }
        }
        throw new IllegalArgumentException("unknown feature layer '" + id + "' (expected one of "
                + Arrays.stream(values()).map(FeatureLayer::id).collect(Collectors.joining(", ")) + ")");
    }
}
