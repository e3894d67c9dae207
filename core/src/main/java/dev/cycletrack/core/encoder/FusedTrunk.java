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

    /** Whether {@link #toOnnx} can express this trunk: NONE (centre-cropped shortcuts) it cannot. */
    static boolean exportable(PaddingMode mode) {
        return mode == PaddingMode.REFLECT || mode == PaddingMode.ZERO || mode == PaddingMode.REPLICATE;
    }

    /**
     * The same computation as {@link #forward} as an ONNX graph for one (1, 3, H, W) image: explicit
     * Pad nodes (reflect, edge) before the convs where the trunk pads explicitly, the folded weights
     * as initializers. Input "image", output "features" (1, 256, h, w), before L2 normalisation.
     */
    byte[] toOnnx(int height, int width) {
        PaddingMode mode = source.padding();
        if (!exportable(mode)) {
            throw new UnsupportedOperationException("padding mode " + mode.id() + " has no ONNX export");
        }
        OnnxExport graph = new OnnxExport();
        String x = graph.relu(graph.conv("image", stem));
        x = graph.maxPool(x);
        for (FusedBlock block : blocks) {
            String main = graph.relu(graph.conv(x, block.conv1()));
            main = graph.conv(main, block.conv2());
            String shortcut = block.downsample() == null ? x : graph.conv(x, block.downsample());
            x = graph.relu(graph.add(main, shortcut));
        }
        GridSize grid = source.outputSize(height, width);
        return graph.onnx.toModel("cycletrack-trunk", "image", new long[] {1, 3, height, width}, x, new long[] {
            1, FeatureLayer.LAYER3.channels(), grid.height(), grid.width()
        });
    }

    /** Names the tensors of the graph being exported. */
    private static final class OnnxExport {
        private final OnnxGraph onnx = new OnnxGraph();
        private int next;

        String conv(String input, FusedConv conv) {
            String id = "conv" + next++;
            PaddedConv2d g = conv.geometry();
            long[] shape = conv.weight().getShape().getShape();
            onnx.floatTensor(id + ".weight", shape, conv.weight().toFloatArray());
            onnx.floatTensor(id + ".bias", new long[] {shape[0]}, conv.bias().toFloatArray());
            int pad = g.effectivePadding();
            String source = input;
            if (pad > 0 && g.mode() != PaddingMode.ZERO) {
                source = id + ".padded";
                onnx.longTensor(id + ".pads", 0, 0, pad, pad, 0, 0, pad, pad);
                String onnxMode = g.mode() == PaddingMode.REFLECT ? "reflect" : "edge";
                onnx.node(
                        "Pad",
                        new String[] {input, id + ".pads"},
                        source,
                        OnnxGraph.Attribute.string("mode", onnxMode));
                pad = 0;
            }
            onnx.node(
                    "Conv",
                    new String[] {source, id + ".weight", id + ".bias"},
                    id,
                    OnnxGraph.Attribute.ints("kernel_shape", g.kernel(), g.kernel()),
                    OnnxGraph.Attribute.ints("strides", g.stride(), g.stride()),
                    OnnxGraph.Attribute.ints("pads", pad, pad, pad, pad));
            return id;
        }

        String maxPool(String input) {
            // -infinity padding of 1, as ResNetTrunk.maxPool (NONE is not exported).
            String id = "pool" + next++;
            onnx.node(
                    "MaxPool",
                    new String[] {input},
                    id,
                    OnnxGraph.Attribute.ints("kernel_shape", 3, 3),
                    OnnxGraph.Attribute.ints("strides", 2, 2),
                    OnnxGraph.Attribute.ints("pads", 1, 1, 1, 1));
            return id;
        }

        String relu(String input) {
            String id = input + ".relu";
            onnx.node("Relu", new String[] {input}, id);
            return id;
        }

        String add(String a, String b) {
            String id = "add" + next++;
            onnx.node("Add", new String[] {a, b}, id);
            return id;
        }
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
