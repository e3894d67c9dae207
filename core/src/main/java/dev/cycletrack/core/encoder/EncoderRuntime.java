package dev.cycletrack.core.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What runs the encoder's forward pass. Both run the same folded weights and agree to float
 * rounding (see EncoderRuntimeTest); they differ in speed.
 */
public enum EncoderRuntime {
    /** DJL's PyTorch engine: oneDNN's direct convolutions on the CPU. Every padding mode. */
    PYTORCH,
    /**
     * OpenCV's DNN module: Winograd F(6x6, 3x3) for the 3x3 stride-1 convolutions, about 1.6x faster
     * than PyTorch's direct convolutions on one core of this machine (docs/benchmarks.md). Reflect,
     * zero and replicate padding.
     */
    OPENCV;

    /** System property naming the runtime: pytorch, opencv or auto (the default). */
    public static final String PROPERTY = "cycletrack.encoder.runtime";

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
            return FusedTrunk.exportable(padding) ? OPENCV : PYTORCH;
        }
        return fromId(name);
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
