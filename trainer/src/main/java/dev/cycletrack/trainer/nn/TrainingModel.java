package dev.cycletrack.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cycletrack.core.encoder.FeatureLayer;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.encoder.ParameterNames;
import dev.cycletrack.core.encoder.ResNetTrunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What STFC3 trains: the ResNet-18 trunk (to layer4, or to layer3 for the small-budget variant of SPEC
 * 3.3b item 8) and, optionally, the 1x1-conv projection head; the output is L2-normalised per cell.
 * Children {@code trunk} and {@code head}, so parameter paths read {@code trunk.layer1.0.conv1.weight} or
 * {@code head.0.bias}.
 */
public final class TrainingModel extends AbstractBlock {

    private final ResNetTrunk trunk;
    private final ProjectionHead head;

    private TrainingModel(ResNetTrunk trunk, ProjectionHead head) {
        this.trunk = trunk;
        this.head = head;
        children.add("trunk", trunk);
        if (head != null) {
            children.add("head", head);
        }
    }

    /**
     * A freshly initialised model: the trunk exactly as {@link ResNetTrunk#initialize(NDManager, long)} with
     * {@code seed} (so step 0 equals {@code eval --method random --seed seed}), the head from a stream
     * derived from the seed. {@code headHidden <= 0} means no head (features straight from the trunk).
     */
    public static TrainingModel create(
            NDManager manager, PaddingMode padding, FeatureLayer layer, int headHidden, int embedDim, long seed) {
        ResNetTrunk trunk = ResNetTrunk.create(padding, layer);
        trunk.initialize(manager, seed);
        ProjectionHead head = null;
        if (headHidden > 0) {
            head = new ProjectionHead(layer.channels(), headHidden, embedDim);
            head.initialize(manager, seed * 0x9E3779B97F4A7C15L + 0x5EED);
        }
        TrainingModel model = new TrainingModel(trunk, head);
        model.inputShapes = new Shape[] {ResNetTrunk.INIT_SHAPE};
        return model;
    }

    public ResNetTrunk trunk() {
        return trunk;
    }

    /** The head, or null when the trunk's output is used directly. */
    public ProjectionHead head() {
        return head;
    }

    /** Channels of the training embedding. */
    public int embedDim() {
        return head == null ? trunk.outputChannels() : head.outChannels();
    }

    /** Every parameter (BN running statistics included) under its dotted path, in a fixed order. */
    public Map<String, Parameter> namedParameters() {
        return ParameterNames.of(this);
    }

    /** The parameters the optimiser updates (not BN running statistics), in {@link #namedParameters} order. */
    public List<Map.Entry<String, Parameter>> trainable() {
        List<Map.Entry<String, Parameter>> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            if (e.getValue().requiresGradient()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Trunk (and head) forward, then L2 normalisation over channels: (N, 3, S, S) -> (N, D, h, w). */
    public NDArray features(ParameterStore store, NDArray input, boolean training) {
        NDArray out = forward(store, new NDList(input), training).singletonOrThrow();
        return out.normalize(2, 1, 1e-12);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = trunk.forward(store, inputs, training, params);
        return head == null ? x : head.forward(store, x, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = trunk.getOutputShapes(inputShapes);
        return head == null ? s : head.getOutputShapes(s);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        throw new UnsupportedOperationException("use TrainingModel.create");
    }
}
