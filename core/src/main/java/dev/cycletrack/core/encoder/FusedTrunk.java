package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * An inference-only copy of a {@link ResNetTrunk} with every BatchNorm folded into the conv before
 * it (eval-mode BN is affine: w' = w * gamma / sqrt(var + eps), b' = beta - mean * gamma / sqrt(var +
 * eps)). This saves one pass over every activation per conv, and the copied weights never require
 * gradients, so no autograd graph is built whatever the calling thread's grad mode. Intermediate
 * arrays are closed as soon as they are consumed, which keeps the working set small.
 *
 * <p>It is a snapshot: later training of the source trunk does not change it.
 */
final class FusedTrunk {

    /** A conv with its BN folded in. */
    private record FusedConv(PaddedConv2d geometry, NDArray weight, NDArray bias) {
        NDArray apply(NDArray x) {
            return geometry.apply(x, weight, bias);
        }
    }

    private record FusedBlock(FusedConv conv1, FusedConv conv2, FusedConv downsample) {}

    private final ResNetTrunk source;
    private final FusedConv stem;
    private final List<FusedBlock> blocks;

    FusedTrunk(ResNetTrunk trunk, NDManager manager) {
        if (!trunk.isInitialized()) {
            throw new IllegalStateException("the trunk has no parameters yet");
        }
        this.source = trunk;
        this.stem = fuse(trunk.conv1(), trunk.bn1(), manager);
        List<FusedBlock> list = new ArrayList<>();
        for (BasicBlock b : trunk.basicBlocks()) {
            list.add(new FusedBlock(
                    fuse(b.conv1(), b.bn1(), manager),
                    fuse(b.conv2(), b.bn2(), manager),
                    b.downsampleConv() == null ? null : fuse(b.downsampleConv(), b.downsampleBn(), manager)));
        }
        this.blocks = List.copyOf(list);
    }

    private static FusedConv fuse(PaddedConv2d conv, BatchNorm2d bn, NDManager manager) {
        float[] w = conv.weight().getArray().toFloatArray();
        float[] gamma = bn.gamma().getArray().toFloatArray();
        float[] beta = bn.beta().getArray().toFloatArray();
        float[] mean = bn.runningMean().getArray().toFloatArray();
        float[] var = bn.runningVar().getArray().toFloatArray();
        float[] convBias = conv.bias() == null ? null : conv.bias().getArray().toFloatArray();
        int out = conv.outChannels();
        int perFilter = w.length / out;
        float[] fusedW = new float[w.length];
        float[] fusedB = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + BatchNorm2d.EPSILON);
            for (int i = o * perFilter; i < (o + 1) * perFilter; i++) {
                fusedW[i] = (float) (w[i] * scale);
            }
            double b = convBias == null ? 0 : convBias[o];
            fusedB[o] = (float) (beta[o] + (b - mean[o]) * scale);
        }
        return new FusedConv(
                conv, manager.create(fusedW, conv.weight().getArray().getShape()), manager.create(fusedB));
    }

    ResNetTrunk source() {
        return source;
    }

    /** Runs the trunk on (N, 3, H, W); closes nothing it did not create (the input stays open). */
    NDArray forward(NDArray input) {
        NDArray x = reluAndClose(stem.apply(input));
        x = swap(x, source.maxPool(x));
        for (FusedBlock block : blocks) {
            NDArray main = reluAndClose(block.conv1().apply(x));
            main = swap(main, block.conv2().apply(main));
            NDArray shortcut =
                    block.downsample() == null ? x : block.downsample().apply(x);
            NDArray cropped = Padding.centreCrop(
                    shortcut, main.getShape().get(2), main.getShape().get(3));
            main.addi(cropped);
            if (cropped != shortcut) {
                cropped.close();
            }
            if (shortcut != x) {
                shortcut.close();
            }
            x.close();
            x = reluAndClose(main);
        }
        return x;
    }

    private static NDArray reluAndClose(NDArray x) {
        return swap(x, Activation.relu(x));
    }

    /** Closes {@code old} and returns {@code next}. */
    private static NDArray swap(NDArray old, NDArray next) {
        old.close();
        return next;
    }
}
