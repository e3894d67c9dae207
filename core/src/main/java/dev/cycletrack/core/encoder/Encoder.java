package dev.cycletrack.core.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns RGB frames into the inference features of SPEC 1: RGB / 255, (x - mean) / std, the trunk up to
 * layer3 in eval mode (running BN statistics, no gradients), then L2 normalisation of every cell. The
 * result is node-major: {@code 256} channels on a grid of {@code ceil(H/8) x ceil(W/8)} cells (smaller
 * under {@link PaddingMode#NONE}, see {@link #gridSize}). Callers resize frames; the encoder does not.
 *
 * <p>The encoder owns a snapshot of the weights (BN folded into the convs) and is independent of the
 * trunk or artifact it was made from. Every call works in its own NDManager, closed before it returns,
 * so memory stays flat over any number of frames.
 *
 * <p>Thread safety: the encode methods are {@code synchronized}; an encoder may be shared, but calls
 * run one at a time (PyTorch already uses every core inside one call). For parallel encoding create
 * one encoder per thread. Close the encoder to free its native weights.
 */
public final class Encoder implements AutoCloseable {

    private final NDManager manager;
    private final FusedTrunk net;
    private final InputNormalization normalization;
    private final float[][] levels;
    private ByteBuffer inputBuffer = ByteBuffer.allocateDirect(0);
    private boolean closed;

    private Encoder(ResNetTrunk trunk, InputNormalization normalization) {
        Objects.requireNonNull(trunk, "trunk");
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        ResNetTrunk layer3 = trunk.upTo(FeatureLayer.LAYER3);
        this.manager = NDManager.newBaseManager(Device.cpu());
        try {
            this.net = new FusedTrunk(layer3, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.levels = normalization.lookupTable();
    }

    /** An encoder on a snapshot of {@code trunk}'s current weights (a layer4 trunk is cut at layer3). */
    public static Encoder fromTrunk(ResNetTrunk trunk, InputNormalization normalization) {
        return new Encoder(trunk, normalization);
    }

    /** An encoder with the artifact's weights, padding and normalisation. */
    public static Encoder fromArtifact(ModelArtifact artifact) {
        return new Encoder(artifact.trunk(), artifact.metadata().normalization());
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

    /** The feature grid an image of this size produces. */
    public GridSize gridSize(int imageHeight, int imageWidth) {
        return net.source().outputSize(imageHeight, imageWidth);
    }

    /** Encodes one frame. */
    public FeatureMap encode(RgbImage image) {
        return encode(List.of(image)).get(0);
    }

    /** Encodes frames of one size as a single batch; the maps come back in input order. */
    public synchronized List<FeatureMap> encode(List<RgbImage> images) {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (images.isEmpty()) {
            return List.of();
        }
        int width = images.get(0).width();
        int height = images.get(0).height();
        for (RgbImage image : images) {
            if (image.width() != width || image.height() != height) {
                throw new IllegalArgumentException("a batch needs images of one size: " + width + "x" + height + " and "
                        + image.width() + "x" + image.height());
            }
        }
        GridSize grid = gridSize(height, width);
        int n = images.size();
        try (NDManager call = manager.newSubManager()) {
            NDArray input =
                    call.create(fillInput(images, height, width), new Shape(n, 3, height, width), DataType.FLOAT32);
            NDArray features = net.forward(input);
            // (N, C, h, w) -> (N, h, w, C): node-major, one contiguous copy in native code.
            float[] all = features.transpose(0, 2, 3, 1).toFloatArray();
            return split(all, n, grid);
        }
    }

    /** Writes normalised CHW floats for the whole batch into the reused direct input buffer. */
    private ByteBuffer fillInput(List<RgbImage> images, int height, int width) {
        int plane = height * width;
        int bytes = Math.multiplyExact(images.size(), 3 * plane * Float.BYTES);
        if (inputBuffer.capacity() < bytes) {
            inputBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        FloatBuffer out = inputBuffer.asFloatBuffer();
        float[] row = new float[width];
        for (int i = 0; i < images.size(); i++) {
            byte[] rgb = images.get(i).rgb();
            for (int c = 0; c < 3; c++) {
                float[] table = levels[c];
                int base = (i * 3 + c) * plane;
                for (int y = 0; y < height; y++) {
                    int src = y * width * 3 + c;
                    for (int x = 0; x < width; x++) {
                        row[x] = table[rgb[src + 3 * x] & 0xff];
                    }
                    out.put(base + y * width, row);
                }
            }
        }
        // The tensor reads the buffer in place: it must not be refilled before this call ends,
        // which the synchronized encode guarantees.
        return inputBuffer
                .duplicate()
                .order(ByteOrder.nativeOrder())
                .position(0)
                .limit(bytes);
    }

    private List<FeatureMap> split(float[] all, int n, GridSize grid) {
        int per = grid.height() * grid.width() * channels();
        List<FeatureMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] data = n == 1 ? all : java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
            maps.add(new FeatureMap(grid.height(), grid.width(), channels(), data).l2NormaliseInPlace());
        }
        return maps;
    }

    /** Native arrays the encoder holds (its weights); constant across calls when nothing leaks. */
    synchronized int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
