package dev.cycletrack.core.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Turns RGB frames into the inference features of SPEC 1: RGB / 255, (x - mean) / std, the trunk up to
 * layer3 in eval mode (running BN statistics, no gradients), then L2 normalisation of every cell. The
 * result is node-major: 256 channels on a grid of {@code ceil(H/8) x ceil(W/8)} cells (smaller under
 * {@link PaddingMode#NONE}, see {@link #gridSize}). Callers resize frames; the encoder does not.
 *
 * <p>The encoder owns a snapshot of the weights (BN folded into the convs) and is independent of the
 * trunk or artifact it was made from. An {@link EncoderRuntime} runs the forward: DJL's PyTorch
 * engine, where every call works in its own NDManager, closed before it returns, or OpenCV's DNN
 * module on an ONNX export of the same folded weights, with one reused net per concurrent caller
 * ({@link OpenCvTrunk}). Either way native memory stays flat over any number of frames.
 *
 * <p>Thread safety: an encoder may be shared, and calls from several threads run in parallel (the
 * weights are read-only; every call has its own NDManager or net and input buffer). That pays on a
 * CPU when the intra-op threads ({@link EncoderRuntime#setIntraOpThreads}) are fewer than the cores.
 * {@link #close} waits for running calls. Close the encoder to free its native weights.
 */
public final class Encoder implements AutoCloseable {

    private final NDManager manager;
    private final Device device;
    private final FusedTrunk net;
    private final EncoderRuntime runtime;
    private final OpenCvTrunk opencv; // null under PYTORCH
    private final InputNormalization normalization;
    private final FramePacker packer;
    // Calls share the read side; close takes the write side, so weights never vanish under a call.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private Encoder(ResNetTrunk trunk, InputNormalization normalization, EncoderRuntime runtime) {
        Objects.requireNonNull(trunk, "trunk");
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.packer = new FramePacker(normalization);
        this.device = runtime == EncoderRuntime.PYTORCH ? EncoderRuntime.pytorchDevice() : Device.cpu();
        this.manager = NDManager.newBaseManager(device);
        try {
            this.net = new FusedTrunk(trunk.upTo(FeatureLayer.LAYER3), manager);
            this.opencv = runtime == EncoderRuntime.OPENCV ? new OpenCvTrunk(net, normalization) : null;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * An encoder on a snapshot of {@code trunk}'s current weights (a layer4 trunk is cut at layer3), run
     * by the {@linkplain EncoderRuntime#configured configured runtime}.
     */
    public static Encoder fromTrunk(ResNetTrunk trunk, InputNormalization normalization) {
        return fromTrunk(trunk, normalization, EncoderRuntime.configured(trunk.padding()));
    }

    /** An encoder on a snapshot of {@code trunk}'s current weights, run by {@code runtime}. */
    public static Encoder fromTrunk(ResNetTrunk trunk, InputNormalization normalization, EncoderRuntime runtime) {
        return new Encoder(trunk, normalization, runtime);
    }

    /** An encoder with the artifact's weights, padding and normalisation, on the configured runtime. */
    public static Encoder fromArtifact(ModelArtifact artifact) {
        return fromArtifact(artifact, EncoderRuntime.configured(artifact.trunk().padding()));
    }

    /** An encoder with the artifact's weights, padding and normalisation, run by {@code runtime}. */
    public static Encoder fromArtifact(ModelArtifact artifact, EncoderRuntime runtime) {
        return new Encoder(artifact.trunk(), artifact.metadata().normalization(), runtime);
    }

    /** What runs the forward pass. */
    public EncoderRuntime runtime() {
        return runtime;
    }

    /** Where the forward runs: a GPU only under {@link EncoderRuntime#PYTORCH} with a CUDA libtorch. */
    public Device device() {
        return device;
    }

    /**
     * Whether a batch should go through one forward: on a GPU, where that is what batching is for. On
     * the CPU it buys little, and one forward per frame keeps every frame's features independent of
     * what it was batched with (batched convolutions differ in the last bits).
     */
    public boolean prefersBatches() {
        return device.isGpu();
    }

    /** "opencv on the CPU", "pytorch on GPU 0": for logs and benchmark reports. */
    public String describeRuntime() {
        return runtime.id() + (device.isGpu() ? " on GPU " + device.getDeviceId() : " on the CPU");
    }

    /** Feature channels per cell (256, layer3). */
    public int channels() {
        return FeatureLayer.LAYER3.channels();
    }

    /** Nominal output stride (8). */
    public int stride() {
        return FeatureLayer.LAYER3.stride();
    }

    public PaddingMode padding() {
        return net.source().padding();
    }

    public InputNormalization normalization() {
        return normalization;
    }

    /** The feature grid an image of this size produces; refuses images too small for the trunk. */
    public GridSize gridSize(int imageHeight, int imageWidth) {
        return net.source().outputSize(imageHeight, imageWidth);
    }

    /** Encodes one frame. */
    public FeatureMap encode(RgbImage image) {
        return encode(List.of(image)).get(0);
    }

    /** Encodes frames of one size as a single batch; the maps come back in input order. */
    public List<FeatureMap> encode(List<RgbImage> images) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("encoder is closed");
            }
            return encodeOpen(images);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<FeatureMap> encodeOpen(List<RgbImage> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        RgbImage first = images.get(0);
        for (RgbImage image : images) {
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new IllegalArgumentException("a batch needs images of one size: " + first.width() + "x"
                        + first.height() + " and " + image.width() + "x" + image.height());
            }
        }
        gridSize(first.height(), first.width()); // fail fast, before any native work
        if (opencv != null) {
            return opencv.encode(images);
        }
        try (NDManager call = manager.newSubManager()) {
            return toFeatureMaps(net.forward(packer.pack(call, images)));
        }
    }

    /** (N, C, h, w) to N node-major maps, L2-normalised per cell. */
    static List<FeatureMap> toFeatureMaps(NDArray features) {
        Shape s = features.getShape();
        int n = Math.toIntExact(s.get(0));
        int channels = Math.toIntExact(s.get(1));
        int height = Math.toIntExact(s.get(2));
        int width = Math.toIntExact(s.get(3));
        // (N, h, w, C) is node-major; for the channels-last output of the trunk this view is already
        // contiguous, so no copy is made in native code.
        float[] all = features.transpose(0, 2, 3, 1).toFloatArray();
        int per = height * width * channels;
        List<FeatureMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] data = n == 1 ? all : Arrays.copyOfRange(all, i * per, (i + 1) * per);
            maps.add(new FeatureMap(height, width, channels, data).l2NormaliseInPlace());
        }
        return maps;
    }

    /** Native arrays the encoder holds (its weights); constant across calls when nothing leaks. */
    int liveArrays() {
        lifecycle.readLock().lock();
        try {
            return manager.getManagedArrays().size();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                if (opencv != null) {
                    opencv.close();
                }
                manager.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
