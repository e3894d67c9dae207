package dev.cycletrack.core.codec;

import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.tensor.Resize;
import java.util.TreeSet;

/**
 * Object masks to soft label maps and back (SPEC 2.3a). Channels are background first, then each
 * object id present in the first frame in ascending order; each channel's one-hot plane is shrunk to
 * the feature grid with cv2-style bilinear. Decoding upsamples back to the processed image with the
 * same bilinear, takes the argmax (lowest channel wins ties) and, where the processed size differs
 * from the annotation, resizes the id map with nearest neighbour.
 */
public final class MaskCodec {

    private MaskCodec() {}

    /** Soft labels plus the object id of each channel ({@code channelIds[0] == 0}, background). */
    public record Encoded(LabelMap labels, int[] channelIds) {}

    /** Encodes a row-major id map ({@code width x height}, 0 = background) onto a grid. */
    public static Encoded encode(int[] ids, int width, int height, int gridH, int gridW) {
        if ((long) width * height != ids.length) {
            throw new IllegalArgumentException("mask of " + ids.length + " pixels is not " + width + "x" + height);
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (int id : ids) {
            if (id < 0) {
                throw new IllegalArgumentException("mask holds a negative object id " + id);
            }
            if (id != 0) {
                present.add(id);
            }
        }
        int[] channelIds = new int[present.size() + 1];
        int c = 1;
        for (int id : present) {
            channelIds[c++] = id;
        }
        int channels = channelIds.length;
        float[] data = new float[gridH * gridW * channels];
        float[] onehot = new float[ids.length];
        for (c = 0; c < channels; c++) {
            int id = channelIds[c];
            for (int p = 0; p < ids.length; p++) {
                onehot[p] = ids[p] == id ? 1f : 0f;
            }
            float[] small = Resize.bilinear(onehot, height, width, gridH, gridW);
            for (int n = 0; n < small.length; n++) {
                data[n * channels + c] = small[n];
            }
        }
        return new Encoded(new LabelMap(gridH, gridW, channels, data), channelIds);
    }

    /**
     * Decodes soft labels to an id map of {@code outW x outH} (the processed image size), mapping
     * channels to ids with {@code channelIds}.
     */
    public static int[] decode(LabelMap soft, int[] channelIds, int outW, int outH) {
        return decode(soft, channelIds, outW, outH, outW, outH);
    }

    /** As {@link #decode(LabelMap, int[], int, int)}, then nearest-resized to the annotation size. */
    public static int[] decode(
            LabelMap soft, int[] channelIds, int processedW, int processedH, int annotationW, int annotationH) {
        int[] channels = argmaxChannels(soft, processedW, processedH);
        int[] resized = processedW == annotationW && processedH == annotationH
                ? channels
                : Resize.nearest(channels, processedH, processedW, annotationH, annotationW);
        int[] out = new int[resized.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = channelIds[resized[p]];
        }
        return out;
    }

    /** Per-pixel argmax channel of the bilinearly upsampled soft map. */
    public static int[] argmaxChannels(LabelMap soft, int outW, int outH) {
        int channels = soft.channels();
        float[][] up = new float[channels][];
        for (int c = 0; c < channels; c++) {
            up[c] = Resize.bilinear(soft.plane(c), soft.height(), soft.width(), outH, outW);
        }
        int[] out = new int[outW * outH];
        for (int p = 0; p < out.length; p++) {
            int best = 0;
            float bestValue = up[0][p];
            for (int c = 1; c < channels; c++) {
                if (up[c][p] > bestValue) {
                    bestValue = up[c][p];
                    best = c;
                }
            }
            out[p] = best;
        }
        return out;
    }
}
