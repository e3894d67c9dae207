package dev.cycletrack.core.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What runs the encoder's forward pass. Both run the same folded weights and agree to float
 * rounding (see EncoderRuntimeTest); they differ in speed.
 */
public enum EncoderRuntime {
    /**
     * DJL's PyTorch engine, on the {@linkplain #pytorchDevice() configured device}: a GPU where a CUDA
     * build of libtorch sees one, else the CPU (oneDNN's direct convolutions). Every padding mode.
     */
    PYTORCH,
    /**
     * OpenCV's DNN module: Winograd F(6x6, 3x3) for the 3x3 stride-1 convolutions, about 1.6x faster
     * than PyTorch's direct convolutions on one core of this machine (docs/benchmarks.md). Reflect,
     * zero and replicate padding.
     */
    OPENCV;

    /** System property naming the runtime: pytorch, opencv or auto (the default). */
    public static final String PROPERTY = "cycletrack.encoder.runtime";

    /**
     * System property naming the PyTorch runtime's device: auto (the default: the first GPU where
     * PyTorch sees one, else the CPU), cpu, gpu or gpu:N.
     */
    public static final String DEVICE_PROPERTY = "cycletrack.encoder.device";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The runtime for a trunk with this padding: the one named by {@link #PROPERTY}, or under "auto"
     * OpenCV where it can express the trunk and PyTorch otherwise (the NONE padding ablation).
     */
    public static EncoderRuntime configured(PaddingMode padding) {
        String name = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            // A GPU beats any CPU runtime, and only PyTorch reaches one.
            if (pytorchDevice().isGpu()) {
                return PYTORCH;
            }
            return FusedTrunk.exportable(padding) ? OPENCV : PYTORCH;
        }
        return fromId(name);
    }

    /** The device {@link #PYTORCH} runs on, from {@link #DEVICE_PROPERTY} and the GPUs PyTorch sees. */
    public static Device pytorchDevice() {
        String name = System.getProperty(DEVICE_PROPERTY, "auto");
        return parseDevice(name, name.trim().equalsIgnoreCase("cpu") ? 0 : pytorchGpus());
    }

    /** GPUs visible to DJL's PyTorch engine: 0 with the CPU build of libtorch. Asked once per process. */
    static int pytorchGpus() {
        return GpuCount.VALUE;
    }

    /** Holder: the count is read on first use (it loads the engine, and DJL logs a failed probe). */
    private static final class GpuCount {
        static final int VALUE = Engine.getEngine("PyTorch").getGpuCount();
    }

    /**
     * Parses a device name given {@code gpus} visible GPUs; a GPU that is not there is refused with a
     * message saying what is needed, rather than quietly running on the CPU.
     */
    static Device parseDevice(String name, int gpus) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "auto":
                return gpus > 0 ? Device.gpu(0) : Device.cpu();
            case "cpu":
                return Device.cpu();
            default:
                break;
        }
        int index;
        if (n.equals("gpu")) {
            index = 0;
        } else if (n.matches("gpu:\\d{1,4}")) {
            index = Integer.parseInt(n.substring(4));
        } else {
            throw new IllegalArgumentException("unknown encoder device '" + name + "' for " + DEVICE_PROPERTY
                    + " (expected auto, cpu, gpu or gpu:N)");
        }
        if (index >= gpus) {
            throw new IllegalArgumentException(
                    "encoder device " + n + " requested (" + DEVICE_PROPERTY + ") but PyTorch" + " sees " + gpus
                            + " GPU(s): a CUDA build of libtorch is needed (README, section GPU)");
        }
        return Device.gpu(index);
    }

    /**
     * Sets the threads one forward may use, for both runtimes (both settings are process-wide):
     * PyTorch's intra-op threads and OpenCV's parallel_for threads. With 1, OpenCV runs a forward in
     * the calling thread.
     */
    public static void setIntraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library the setting lives in
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        org.bytedeco.opencv.global.opencv_core.setNumThreads(threads);
    }

    /** Parses an {@link #id()}; the message lists the accepted names. */
    public static EncoderRuntime fromId(String id) {
        for (EncoderRuntime r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown encoder runtime '" + id + "' (expected auto or one of "
                + Arrays.stream(values()).map(EncoderRuntime::id).collect(Collectors.joining(", ")) + ")");
    }
}
