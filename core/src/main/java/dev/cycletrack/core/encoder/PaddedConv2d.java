package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A square 2-D convolution whose border follows a {@link PaddingMode}: ZERO uses the conv's own
 * padding, REFLECT and REPLICATE pad explicitly and convolve with padding 0, NONE does not pad.
 * Parameters: {@code weight} (out, in, k, k) and, if enabled, {@code bias} (out), with fixed shapes
 * so that loading can check them.
 */
public final class PaddedConv2d extends AbstractBlock {

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final PaddingMode mode;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param padding the nominal padding (e.g. 1 for a 3x3 conv); ignored under NONE.
     */
    public PaddedConv2d(
            int inChannels, int outChannels, int kernel, int stride, int padding, PaddingMode mode, boolean withBias) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.mode = mode;
        // Default init = kaiming_normal(fan_out, relu): std sqrt(2 / (out * k * k)). TrunkInit replaces
        // it with seeded values; this default only serves blocks built outside a trunk.
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                .optInitializer(new XavierInitializer(
                        XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2))
                .build());
        this.bias = withBias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outChannels))
                        .build())
                : null;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public PaddingMode mode() {
        return mode;
    }

    /** The padding actually applied to each side (0 under NONE). */
    public int effectivePadding() {
        return mode == PaddingMode.NONE ? 0 : padding;
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : store.getValue(bias, x.getDevice(), training);
        return new NDList(apply(x, w, b));
    }

    /** The convolution with this block's geometry, on the given weights (also used by the fused path). */
    NDArray apply(NDArray x, NDArray w, NDArray b) {
        int pad = effectivePadding();
        Shape strides = new Shape(stride, stride);
        Shape dilation = new Shape(1, 1);
        if (pad > 0 && (mode == PaddingMode.REFLECT || mode == PaddingMode.REPLICATE)) {
            try (NDArray padded = Padding.pad(x, pad, mode)) {
                return Conv2d.conv2d(padded, w, b, strides, new Shape(0, 0), dilation)
                        .singletonOrThrow();
            }
        }
        return Conv2d.conv2d(x, w, b, strides, new Shape(pad, pad), dilation).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int pad = effectivePadding();
        return new Shape[] {
            new Shape(
                    in.get(0),
                    outChannels,
                    Padding.convOutput(in.get(2), kernel, stride, pad),
                    Padding.convOutput(in.get(3), kernel, stride, pad))
        };
    }
}
