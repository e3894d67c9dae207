package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's ResNet BasicBlock: conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus a shortcut
 * (identity, or conv1x1(stride) - BN when the shape changes), then ReLU. Under {@link
 * PaddingMode#NONE} the main branch loses a 2-cell border per conv, so the shortcut is centre-cropped
 * to it before the addition. Children: {@code conv1, bn1, conv2, bn2[, downsample.0, downsample.1]}.
 */
public final class BasicBlock extends AbstractBlock {

    private final PaddedConv2d conv1;
    private final BatchNorm2d bn1;
    private final PaddedConv2d conv2;
    private final BatchNorm2d bn2;
    private final NamedSequence downsample;
    private final PaddedConv2d downsampleConv;
    private final BatchNorm2d downsampleBn;

    public BasicBlock(int inChannels, int outChannels, int stride, PaddingMode padding) {
        conv1 = add("conv1", new PaddedConv2d(inChannels, outChannels, 3, stride, 1, padding, false));
        bn1 = add("bn1", new BatchNorm2d(outChannels));
        conv2 = add("conv2", new PaddedConv2d(outChannels, outChannels, 3, 1, 1, padding, false));
        bn2 = add("bn2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels) {
            downsampleConv = new PaddedConv2d(inChannels, outChannels, 1, stride, 0, padding, false);
            downsampleBn = new BatchNorm2d(outChannels);
            downsample = add(
                    "downsample", new NamedSequence().add("0", downsampleConv).add("1", downsampleBn));
        } else {
            downsampleConv = null;
            downsampleBn = null;
            downsample = null;
        }
    }

    private <B extends Block> B add(String name, B block) {
        children.add(name, block);
        return block;
    }

    PaddedConv2d conv1() {
        return conv1;
    }

    BatchNorm2d bn1() {
        return bn1;
    }

    PaddedConv2d conv2() {
        return conv2;
    }

    BatchNorm2d bn2() {
        return bn2;
    }

    /** The 1x1 shortcut conv, or null for an identity shortcut. */
    PaddedConv2d downsampleConv() {
        return downsampleConv;
    }

    BatchNorm2d downsampleBn() {
        return downsampleBn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList out = conv1.forward(store, inputs, training, params);
        out = bn1.forward(store, out, training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        out = conv2.forward(store, out, training, params);
        NDArray main = bn2.forward(store, out, training, params).singletonOrThrow();
        NDArray shortcut = downsample == null
                ? x
                : downsample.forward(store, inputs, training, params).singletonOrThrow();
        shortcut = Padding.centreCrop(
                shortcut, main.getShape().get(2), main.getShape().get(3));
        return new NDList(Activation.relu(main.add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, conv2.getOutputShapes(mid));
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
