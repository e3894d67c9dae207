package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * torchvision's ResNet-18 without avgpool and fc, with the STFC3 changes (SPEC 1): layer3 and layer4
 * keep stride 1 (no dilation), so both run at output stride 8, and every padded conv follows one
 * {@link PaddingMode}. The trunk ends at {@link FeatureLayer#LAYER3} (inference) or {@link
 * FeatureLayer#LAYER4} (training).
 *
 * <p>Children and parameter paths match torchvision's state-dict keys: {@code conv1, bn1, layer1 ..
 * layerN}, each layer holding BasicBlocks {@code 0} and {@code 1}, e.g. {@code
 * layer2.0.downsample.0.weight} or {@code bn1.running_mean} (see {@link #namedParameters()}).
 */
public final class ResNetTrunk extends AbstractBlock {

    public static final String ARCHITECTURE = "resnet18";
    /** The shape used to initialise parameters; parameter shapes do not depend on it. */
    public static final Shape INIT_SHAPE = new Shape(1, 3, 256, 256);

    private static final int[] BLOCKS_PER_LAYER = {2, 2, 2, 2};
    private static final int[] LAYER_STRIDES = {1, 2, 1, 1};
    private static final int STANDARD_WIDTH = 64;

    private final PaddingMode padding;
    private final FeatureLayer lastLayer;
    private final PaddedConv2d conv1;
    private final BatchNorm2d bn1;
    private final List<NamedSequence> layers;

    /** An uninitialised trunk; call {@link #initialize(NDManager, long)} or load parameters. */
    public static ResNetTrunk create(PaddingMode padding, FeatureLayer lastLayer) {
        return new ResNetTrunk(padding, lastLayer, STANDARD_WIDTH);
    }

    /** A trunk with another base width (64 is ResNet-18); only tests need other widths. */
    ResNetTrunk(PaddingMode padding, FeatureLayer lastLayer, int width) {
        this.padding = padding;
        this.lastLayer = lastLayer;
        this.conv1 = new PaddedConv2d(3, width, 7, 2, 3, padding, false);
        this.bn1 = new BatchNorm2d(width);
        List<NamedSequence> built = new ArrayList<>();
        int in = width;
        for (int l = 0; l < lastLayer.stages(); l++) {
            int out = width << l;
            NamedSequence layer = new NamedSequence();
            for (int b = 0; b < BLOCKS_PER_LAYER[l]; b++) {
                layer.add(Integer.toString(b), new BasicBlock(in, out, b == 0 ? LAYER_STRIDES[l] : 1, padding));
                in = out;
            }
            built.add(layer);
        }
        this.layers = Collections.unmodifiableList(built);
        addChildren();
    }

    /** A trunk over existing blocks (shared, not copied). */
    private ResNetTrunk(
            PaddingMode padding,
            FeatureLayer lastLayer,
            PaddedConv2d conv1,
            BatchNorm2d bn1,
            List<NamedSequence> layers,
            Shape[] inputShapes) {
        this.padding = padding;
        this.lastLayer = lastLayer;
        this.conv1 = conv1;
        this.bn1 = bn1;
        this.layers = List.copyOf(layers);
        this.inputShapes = inputShapes;
        addChildren();
    }

    private void addChildren() {
        children.add("conv1", conv1);
        children.add("bn1", bn1);
        for (int l = 0; l < layers.size(); l++) {
            children.add("layer" + (l + 1), layers.get(l));
        }
    }

    /**
     * The same trunk ending at an earlier (or the same) layer. It shares this trunk's blocks and
     * parameters: e.g. the layer3 view of a layer4 training trunk, for saving an inference artifact.
     */
    public ResNetTrunk upTo(FeatureLayer layer) {
        if (layer.stages() > lastLayer.stages()) {
            throw new IllegalArgumentException("a trunk ending at " + lastLayer.id() + " has no " + layer.id());
        }
        return new ResNetTrunk(padding, layer, conv1, bn1, layers.subList(0, layer.stages()), inputShapes);
    }

    /**
     * Initialises every parameter reproducibly: trunk convs kaiming_normal(fan_out, relu), i.e.
     * N(0, 2 / (out * k * k)), drawn in {@link #namedParameters()} order from one seeded stream
     * (so a layer4 trunk starts with the same weights as the layer3 trunk of the same seed); BN
     * gamma 1, beta 0, running mean 0, running var 1.
     */
    public void initialize(NDManager manager, long seed) {
        if (isInitialized()) {
            throw new IllegalStateException("trunk parameters are already initialised");
        }
        GaussianStream gaussian = new GaussianStream(seed);
        for (Parameter p : namedParameters().values()) {
            Shape shape = p.getShape();
            if (p.getType() == Parameter.Type.WEIGHT && shape.dimension() == 4) {
                long fanOut = shape.get(0) * shape.get(2) * shape.get(3);
                float[] values = gaussian.normal(Math.toIntExact(shape.size()), Math.sqrt(2.0 / fanOut));
                p.setInitializer((m, s, type) -> m.create(values, s).toType(type, false));
            }
        }
        initialize(manager, DataType.FLOAT32, INIT_SHAPE);
    }

    public PaddingMode padding() {
        return padding;
    }

    public FeatureLayer lastLayer() {
        return lastLayer;
    }

    /** Output channels of the last layer. */
    public int outputChannels() {
        return lastBlock().conv2().outChannels();
    }

    /** Parameters under their torchvision paths, in save order. */
    public Map<String, Parameter> namedParameters() {
        return ParameterNames.of(this);
    }

    PaddedConv2d conv1() {
        return conv1;
    }

    BatchNorm2d bn1() {
        return bn1;
    }

    /** Every BasicBlock, layer by layer. */
    List<BasicBlock> basicBlocks() {
        List<BasicBlock> out = new ArrayList<>();
        for (NamedSequence layer : layers) {
            for (Block b : layer.blocks()) {
                out.add((BasicBlock) b);
            }
        }
        return out;
    }

    private BasicBlock lastBlock() {
        List<BasicBlock> all = basicBlocks();
        return all.get(all.size() - 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = conv1.forward(store, inputs, training, params);
        x = bn1.forward(store, x, training, params);
        x = new NDList(maxPool(Activation.relu(x.singletonOrThrow())));
        for (NamedSequence layer : layers) {
            x = layer.forward(store, x, training, params);
        }
        return x;
    }

    /** The stem's 3x3/2 maxpool: implicit -infinity padding of 1, or none under NONE. */
    NDArray maxPool(NDArray x) {
        int pad = poolPadding();
        return Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(pad, pad), false);
    }

    private int poolPadding() {
        return padding == PaddingMode.NONE ? 0 : 1;
    }

    private Shape[] poolOutputShapes(Shape[] in) {
        Shape s = in[0];
        int pad = poolPadding();
        return new Shape[] {
            new Shape(
                    s.get(0),
                    s.get(1),
                    Padding.convOutput(s.get(2), 3, 2, pad),
                    Padding.convOutput(s.get(3), 3, 2, pad))
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = poolOutputShapes(conv1.getOutputShapes(inputShapes));
        for (NamedSequence layer : layers) {
            shapes = layer.getOutputShapes(shapes);
        }
        return shapes;
    }

    /** Feature-grid size for an input image of the given size. */
    public GridSize outputSize(int imageHeight, int imageWidth) {
        Shape s = getOutputShapes(new Shape[] {new Shape(1, 3, imageHeight, imageWidth)})[0];
        return new GridSize(Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, shapes);
        shapes = poolOutputShapes(shapes);
        for (NamedSequence layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
    }
}
