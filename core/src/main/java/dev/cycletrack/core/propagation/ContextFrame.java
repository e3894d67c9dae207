package dev.cycletrack.core.propagation;

import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.nio.FloatBuffer;

/**
 * One frame of a propagation context: its features, copied once into a direct buffer that the
 * matrix products read without further copies, and its soft labels. Frame 0 also carries, built on
 * first use, the {@link SubspaceBound} that lets propagation skip most of its affinities.
 */
public final class ContextFrame {

    private final int height;
    private final int width;
    private final int channels;
    private final FloatBuffer features;
    private final LabelMap labels;
    private volatile SubspaceBound bound;
    private volatile float[] heapFeatures;

    public ContextFrame(int height, int width, int channels, FloatBuffer features, LabelMap labels) {
        if (labels.height() != height || labels.width() != width) {
            throw new IllegalArgumentException("labels are " + labels.height() + "x" + labels.width()
                    + " but features are " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.features = features;
        this.labels = labels;
    }

    static FloatBuffer toDirect(FeatureMap features) {
        FloatBuffer buffer = Blas.allocate(features.data().length);
        buffer.put(0, features.data());
        return buffer;
    }

    static ContextFrame of(FeatureMap features, LabelMap labels) {
        return new ContextFrame(features.height(), features.width(), features.channels(), toDirect(features), labels);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public FloatBuffer features() {
        return features;
    }

    public LabelMap labels() {
        return labels;
    }

    int nodes() {
        return height * width;
    }

    /**
     * The features as a heap array, copied once on first use: what {@link SimdDots} reads (the JDK 17
     * Vector API reads direct buffers far slower than arrays).
     */
    float[] heapFeatures() {
        float[] copy = heapFeatures;
        if (copy == null) {
            synchronized (this) {
                copy = heapFeatures;
                if (copy == null) {
                    copy = new float[features.capacity()];
                    features.get(0, copy);
                    heapFeatures = copy;
                }
            }
        }
        return copy;
    }

    /** Bytes held: the features (and their heap copy, once made) and the labels. */
    long byteSize() {
        float[] copy = heapFeatures;
        return 4L * features.capacity() + (copy == null ? 0 : 4L * copy.length) + labels.byteSize();
    }

    /** The affinity bound of this frame's nodes, computed once (frame 0 lives as long as its video). */
    SubspaceBound subspaceBound() {
        SubspaceBound b = bound;
        if (b == null) {
            synchronized (this) {
                b = bound;
                if (b == null) {
                    b = SubspaceBound.of(this);
                    bound = b;
                }
            }
        }
        return b;
    }
}
