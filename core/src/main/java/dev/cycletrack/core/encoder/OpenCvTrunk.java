package dev.cycletrack.core.encoder;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_BACKEND_OPENCV;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_TARGET_CPU;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromONNX;

import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * Runs a {@link FusedTrunk} with OpenCV's DNN module ({@link EncoderRuntime#OPENCV}): the trunk is
 * exported to ONNX once per input size and imported as a {@code cv::dnn::Net}, whose 3x3 stride-1
 * convolutions use Winograd F(6x6, 3x3) kernels. A net is not safe for concurrent forwards, so each
 * size has a pool of nets, one per thread that is encoding at the same time, reused across calls.
 *
 * <p>Every frame gets its own forward, so its features do not depend on what it was batched with.
 * The forward runs on OpenCV's threads ({@code cv::setNumThreads}, process-wide); with one thread it
 * runs in the calling thread.
 */
final class OpenCvTrunk implements AutoCloseable {

    /** A net for one input size with its input tensor, used by one thread at a time. */
    private static final class Session implements AutoCloseable {
        private final Net net;
        private final Mat input;
        private final float[] planar;

        Session(byte[] onnx, int height, int width) {
            try (BytePointer model = new BytePointer(onnx)) {
                this.net = readNetFromONNX(model, onnx.length);
            }
            net.setPreferableBackend(DNN_BACKEND_OPENCV);
            net.setPreferableTarget(DNN_TARGET_CPU);
            net.enableWinograd(true);
            this.input = new Mat(new int[] {1, 3, height, width}, CV_32F);
            this.planar = new float[3 * height * width];
        }

        @Override
        public void close() {
            input.close();
            net.close();
        }
    }

    private record Size(int height, int width) {}

    private final FusedTrunk trunk;
    private final float[][] levels;
    private final Map<Size, byte[]> models = new ConcurrentHashMap<>();
    private final Map<Size, Queue<Session>> idle = new ConcurrentHashMap<>();
    private final Queue<Session> all = new ConcurrentLinkedQueue<>();

    OpenCvTrunk(FusedTrunk trunk, InputNormalization normalization) {
        if (!FusedTrunk.exportable(trunk.source().padding())) {
            throw new IllegalArgumentException("the OpenCV runtime does not support padding mode "
                    + trunk.source().padding().id() + " (use the pytorch runtime)");
        }
        this.trunk = trunk;
        this.levels = normalization.lookupTable();
    }

    /** Encodes each image with its own forward; maps are L2-normalised and node-major. */
    List<FeatureMap> encode(List<RgbImage> images) {
        List<FeatureMap> maps = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            maps.add(encode(image));
        }
        return maps;
    }

    private FeatureMap encode(RgbImage image) {
        Size size = new Size(image.height(), image.width());
        Queue<Session> pool = idle.computeIfAbsent(size, s -> new ConcurrentLinkedQueue<>());
        Session session = pool.poll();
        if (session == null) {
            session = open(size);
        }
        try {
            pack(image, session.planar);
            try (FloatPointer in = new FloatPointer(session.input.data())) {
                in.put(session.planar);
            }
            session.net.setInput(session.input);
            try (Mat out = session.net.forward()) {
                int channels = out.size(1);
                int height = out.size(2);
                int width = out.size(3);
                float[] chw = new float[channels * height * width];
                try (FloatPointer data = new FloatPointer(out.data())) {
                    data.get(chw);
                }
                return FeatureMap.fromChannelFirst(channels, height, width, chw).l2NormaliseInPlace();
            }
        } finally {
            pool.offer(session);
        }
    }

    private Session open(Size size) {
        byte[] onnx = models.computeIfAbsent(size, s -> trunk.toOnnx(s.height(), s.width()));
        Session session = new Session(onnx, size.height(), size.width());
        all.add(session);
        return session;
    }

    /** Interleaved RGB bytes to the normalised planar (3, H, W) input. */
    private void pack(RgbImage image, float[] planar) {
        byte[] rgb = image.rgb();
        int pixels = image.height() * image.width();
        for (int c = 0; c < 3; c++) {
            float[] level = levels[c];
            int base = c * pixels;
            for (int i = 0; i < pixels; i++) {
                planar[base + i] = level[rgb[3 * i + c] & 0xff];
            }
        }
    }

    @Override
    public void close() {
        Session s;
        while ((s = all.poll()) != null) {
            s.close();
        }
        idle.clear();
    }
}
