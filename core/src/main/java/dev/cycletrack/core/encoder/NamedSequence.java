package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Blocks applied one after the other, each under the exact name it was given ({@code "0"}, {@code
 * "1"}, ...), like a PyTorch {@code nn.Sequential}. DJL's SequentialBlock would prefix names with a
 * counter; keeping torchvision's names makes parameter paths such as {@code layer2.0.downsample.0}
 * stable and recognisable.
 */
public class NamedSequence extends AbstractBlock {

    /** Appends a child under {@code name}, without DJL's numeric prefix; returns this. */
    public final NamedSequence add(String name, Block block) {
        if (getChildren().keys().contains(name)) {
            throw new IllegalArgumentException("duplicate child name " + name);
        }
        children.add(name, block);
        return this;
    }

    /** Children in order. */
    public final List<Block> blocks() {
        return getChildren().values();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block block : getChildren().values()) {
            x = block.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : getChildren().values()) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : getChildren().values()) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }
}
