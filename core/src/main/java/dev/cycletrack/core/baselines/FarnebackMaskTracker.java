package dev.cycletrack.core.baselines;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.image.Images;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The {@code lk} mask baseline (BASELINES.md): dense Farneback flow from gray frame t to gray frame
 * t-1, then the previous <em>predicted</em> id map is warped backwards with {@code remap} (maps x +
 * flow_x and y + flow_y in float32, nearest neighbour, constant 0 border). Nearest sampling copies ids,
 * so multi-object maps work unchanged; ids above 255 are carried in a 16-bit map.
 */
public final class FarnebackMaskTracker implements MaskTracker {

    public static final double PYR_SCALE = 0.5;
    public static final int LEVELS = 3;
    public static final int WINSIZE = 15;
    public static final int ITERATIONS = 3;
    public static final int POLY_N = 5;
    public static final double POLY_SIGMA = 1.2;
    public static final int FLAGS = 0;

    private static final int MAX_ID = 0xffff;

    private Mat previousGray;
    private Mat previousLabels;
    private int width;
    private int height;
    private float[] flow;
    private float[] mapXValues;
    private float[] mapYValues;

    @Override
    public void init(GrayImage seedFrame, IdMap seedLabels) {
        if (seedFrame.width() != seedLabels.width() || seedFrame.height() != seedLabels.height()) {
            throw new IllegalArgumentException("seed frame is " + seedFrame.width() + "x" + seedFrame.height()
                    + " but its labels are " + seedLabels.width() + "x" + seedLabels.height());
        }
        close();
        width = seedFrame.width();
        height = seedFrame.height();
        flow = new float[2 * width * height];
        mapXValues = new float[width * height];
        mapYValues = new float[width * height];
        previousGray = Images.toMat(seedFrame);
        previousLabels = labelMat(seedLabels);
    }

    @Override
    public IdMap step(GrayImage frame) {
        if (previousGray == null) {
            throw new IllegalStateException("init must be called before step");
        }
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height()
                    + " but the sequence is " + width + "x" + height);
        }
        Mat next = Images.toMat(frame);
        Mat warped = new Mat();
        try (Mat flowMat = new Mat();
                Mat mapX = new Mat(height, width, CV_32FC1);
                Mat mapY = new Mat(height, width, CV_32FC1);
                Scalar zero = new Scalar(0.0)) {
            // Backward flow: for each pixel of frame t, where it came from in frame t-1.
            calcOpticalFlowFarneback(
                    next, previousGray, flowMat, PYR_SCALE, LEVELS, WINSIZE, ITERATIONS, POLY_N, POLY_SIGMA, FLAGS);
            ((FloatBuffer) flowMat.createBuffer()).get(flow);
            for (int y = 0, i = 0; y < height; y++) {
                for (int x = 0; x < width; x++, i++) {
                    mapXValues[i] = x + flow[2 * i];
                    mapYValues[i] = y + flow[2 * i + 1];
                }
            }
            ((FloatBuffer) mapX.createBuffer()).put(mapXValues);
            ((FloatBuffer) mapY.createBuffer()).put(mapYValues);
            remap(previousLabels, warped, mapX, mapY, INTER_NEAREST, BORDER_CONSTANT, zero);
        } catch (RuntimeException e) {
            next.close();
            warped.close();
            throw e;
        }
        previousGray.close();
        previousGray = next;
        previousLabels.close();
        previousLabels = warped;
        return readLabels(warped);
    }

    @Override
    public void close() {
        if (previousGray != null) {
            previousGray.close();
            previousGray = null;
        }
        if (previousLabels != null) {
            previousLabels.close();
            previousLabels = null;
        }
    }

    private static Mat labelMat(IdMap labels) {
        int max = 0;
        for (int id : labels.ids()) {
            if (id < 0 || id > MAX_ID) {
                throw new IllegalArgumentException("label id " + id + " is outside 0.." + MAX_ID);
            }
            max = Math.max(max, id);
        }
        int[] ids = labels.ids();
        if (max <= 0xff) {
            byte[] bytes = new byte[ids.length];
            for (int i = 0; i < ids.length; i++) {
                bytes[i] = (byte) ids[i];
            }
            Mat m = new Mat(labels.height(), labels.width(), CV_8UC1);
            m.data().put(bytes);
            return m;
        }
        short[] shorts = new short[ids.length];
        for (int i = 0; i < ids.length; i++) {
            shorts[i] = (short) ids[i];
        }
        Mat m = new Mat(labels.height(), labels.width(), CV_16UC1);
        ((ShortBuffer) m.createBuffer()).put(shorts);
        return m;
    }

    private static IdMap readLabels(Mat m) {
        int n = m.rows() * m.cols();
        int[] ids = new int[n];
        if (m.type() == CV_8UC1) {
            byte[] bytes = new byte[n];
            m.data().get(bytes);
            for (int i = 0; i < n; i++) {
                ids[i] = bytes[i] & 0xff;
            }
        } else {
            short[] shorts = new short[n];
            ((ShortBuffer) m.createBuffer()).get(shorts);
            for (int i = 0; i < n; i++) {
                ids[i] = shorts[i] & 0xffff;
            }
        }
        return new IdMap(m.cols(), m.rows(), ids);
    }
}
