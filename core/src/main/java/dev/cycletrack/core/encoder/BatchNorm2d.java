package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation over the channel axis of (N, C, H, W) with PyTorch's defaults (eps 1e-5,
 * momentum 0.1) and PyTorch's parameter names: {@code weight} (gamma, init 1), {@code bias} (beta,
 * init 0), {@code running_mean} and {@code running_var} (not trained). Unlike DJL's own BatchNorm
 * the channel count is fixed at construction, so every parameter shape is known before loading.
 * Training mode normalises with batch statistics and updates the running ones; inference uses the
 * running statistics.
 */
public final class BatchNorm2d extends AbstractBlock {

    public static final float EPSILON = 1e-5f;
    /** PyTorch's convention: running = (1 - m) * running + m * batch. */
    public static final float PYTORCH_MOMENTUM = 0.1f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2d(int channels) {
        this.channels = channels;
        Shape shape = new Shape(channels);
        gamma = addParameter(param("weight", Parameter.Type.GAMMA, shape, true));
        beta = addParameter(param("bias", Parameter.Type.BETA, shape, true));
        runningMean = addParameter(param("running_mean", Parameter.Type.RUNNING_MEAN, shape, false));
        runningVar = addParameter(param("running_var", Parameter.Type.RUNNING_VAR, shape, false));
    }

    private static Parameter param(String name, Parameter.Type type, Shape shape, boolean trained) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optRequiresGrad(trained)
                .build();
    }

    public int channels() {
        return channels;
    }

    Parameter gamma() {
        return gamma;
    }

    Parameter beta() {
        return beta;
    }

    Parameter runningMean() {
        return runningMean;
    }

    Parameter runningVar() {
        return runningVar;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // DJL's momentum is the weight of the old running value (the opposite of PyTorch's), so
        // PyTorch's 0.1 is passed as 0.9; the engine converts it back to 0.1 for torch.
        return BatchNorm.batchNorm(
                x,
                store.getValue(runningMean, x.getDevice(), training),
                store.getValue(runningVar, x.getDevice(), training),
                store.getValue(gamma, x.getDevice(), training),
                store.getValue(beta, x.getDevice(), training),
                1,
                1f - PYTORCH_MOMENTUM,
                EPSILON,
                training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
