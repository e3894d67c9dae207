package dev.cycletrack.core.propagation;

import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.nio.FloatBuffer;

/**
 * One frame of a propagation context: its features, copied once into a direct buffer that the
 * matrix products read without further copies, and its soft labels.
 */
public record ContextFrame(int height, int width, int channels, FloatBuffer features, LabelMap labels) {

    public ContextFrame {
        if (labels.height() != height || labels.width() != width) {
            throw new IllegalArgumentException("labels are " + labels.height() + "x" + labels.width()
                    + " but features are " + height + "x" + width);
        }
    }

    static FloatBuffer toDirect(FeatureMap features) {
        FloatBuffer buffer = Blas.allocate(features.data().length);
        buffer.put(0, features.data());
        return buffer;
    }

    static ContextFrame of(FeatureMap features, LabelMap labels) {
        return new ContextFrame(features.height(), features.width(), features.channels(), toDirect(features), labels);
    }

    int nodes() {
        return height * width;
    }
}
