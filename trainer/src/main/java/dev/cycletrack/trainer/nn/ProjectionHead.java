package dev.cycletrack.trainer.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cycletrack.core.encoder.BatchNorm2d;
import dev.cycletrack.core.encoder.PaddedConv2d;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.encoder.ParameterNames;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training head of SPEC 1: conv1x1 in->hidden (with bias) -> ReLU -> BN(hidden) -> conv1x1
 * hidden->out (no bias). Children {@code 0} (conv), {@code 2} (BN), {@code 3} (conv), as in the reference's
 * nn.Sequential. The convs keep PyTorch's default init, kaiming_uniform(a = sqrt(5)): weights and bias
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn here from a seeded stream.
 */
public final class ProjectionHead extends AbstractBlock {

    private final int in;
    private final int hidden;
    private final int out;
    private final PaddedConv2d conv1;
    private final BatchNorm2d bn;
    private final PaddedConv2d conv2;

    public ProjectionHead(int in, int hidden, int out) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        conv1 = new PaddedConv2d(in, hidden, 1, 1, 0, PaddingMode.ZERO, true);
        bn = new BatchNorm2d(hidden);
        conv2 = new PaddedConv2d(hidden, out, 1, 1, 0, PaddingMode.ZERO, false);
        children.add("0", conv1);
        children.add("2", bn);
        children.add("3", conv2);
    }

    public int inChannels() {
        return in;
    }

    public int hiddenChannels() {
        return hidden;
    }

    public int outChannels() {
        return out;
    }

    /** Sets PyTorch-default initialisers (seeded) and allocates the parameters. */
    public void initialize(NDManager manager, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Map.Entry<String, Parameter> e : ParameterNames.of(this).entrySet()) {
            Parameter p = e.getValue();
            if (p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS) {
                boolean first = e.getKey().startsWith("0.");
                int fanIn = first ? in : hidden;
                double bound = 1.0 / Math.sqrt(fanIn);
                int n = Math.toIntExact(p.getShape().size());
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                p.setInitializer((m, s, type) -> m.create(values, s).toType(type, false));
            }
        }
        initialize(manager, DataType.FLOAT32, new Shape(1, in, 8, 8));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv1.forward(store, inputs, training, params);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        x = bn.forward(store, x, training, params);
        return conv2.forward(store, x, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
    }
}
