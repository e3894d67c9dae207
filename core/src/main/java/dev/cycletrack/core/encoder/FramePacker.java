package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.core.image.RgbImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Packs same-sized RGB frames into the normalised float input of the trunk. The interleaved RGB bytes
 * are already in NHWC order, so they are mapped through a 256-entry table per channel straight into a
 * direct buffer and exposed as an (N, 3, H, W) channels-last view: no transpose, and the convolutions
 * downstream keep the channels-last layout, which oneDNN runs faster than NCHW on this CPU.
 *
 * <p>Each thread reuses its own buffer, read in place by the tensor: a packer serves concurrent
 * calls from different threads, and a thread's tensor is valid until that thread's next call.
 */
final class FramePacker {

    private final float[][] levels;
    private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    FramePacker(InputNormalization normalization) {
        this.levels = normalization.lookupTable();
    }

    /** The batch as a normalised (N, 3, H, W) tensor in {@code manager}, valid until the next call. */
    NDArray pack(NDManager manager, List<RgbImage> images) {
        RgbImage first = images.get(0);
        int perImage = first.rgb().length;
        int bytes = Math.multiplyExact(images.size(), perImage * Float.BYTES);
        ByteBuffer buffer = buffers.get();
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            buffers.set(buffer);
        }
        FloatBuffer out = buffer.asFloatBuffer();
        float[] chunk = new float[Math.min(perImage, 3 * 4096)];
        float[] red = levels[0];
        float[] green = levels[1];
        float[] blue = levels[2];
        for (int i = 0; i < images.size(); i++) {
            byte[] rgb = images.get(i).rgb();
            for (int start = 0; start < perImage; start += chunk.length) {
                int len = Math.min(chunk.length, perImage - start);
                for (int k = 0; k < len; k += 3) {
                    chunk[k] = red[rgb[start + k] & 0xff];
                    chunk[k + 1] = green[rgb[start + k + 1] & 0xff];
                    chunk[k + 2] = blue[rgb[start + k + 2] & 0xff];
                }
                out.put(i * perImage + start, chunk, 0, len);
            }
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.position(0).limit(bytes);
        NDArray nhwc =
                manager.create(view, new Shape(images.size(), first.height(), first.width(), 3), DataType.FLOAT32);
        return nhwc.transpose(0, 3, 1, 2);
    }
}
