package dev.cycletrack.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The border arithmetic of the trunk on (N, C, H, W) tensors: explicit reflect / replicate padding
 * (DJL's {@code NDArray.pad} only pads with a constant), the centre crop of residual shortcuts under
 * {@link PaddingMode#NONE}, and the conv output-size formula.
 */
public final class Padding {

    private static final int HEIGHT = 2;
    private static final int WIDTH = 3;

    private Padding() {}

    /**
     * Pads the last two axes by {@code pad} on every side with a non-constant mode. Each axis costs
     * one concatenation; the border slices are views and are closed here, so the caller only owns
     * the result.
     */
    public static NDArray pad(NDArray x, int pad, PaddingMode mode) {
        if (mode != PaddingMode.REFLECT && mode != PaddingMode.REPLICATE) {
            throw new IllegalArgumentException("explicit padding is for reflect and replicate, not " + mode.id());
        }
        checkRank4(x);
        if (pad == 0) {
            return x.duplicate();
        }
        NDArray rows = padAxis(x, HEIGHT, pad, mode);
        NDArray result = padAxis(rows, WIDTH, pad, mode);
        rows.close();
        return result;
    }

    private static NDArray padAxis(NDArray x, int axis, int pad, PaddingMode mode) {
        long n = x.getShape().get(axis);
        NDArray before;
        NDArray after;
        if (mode == PaddingMode.REFLECT) {
            if (pad >= n) {
                throw new IllegalArgumentException(
                        "reflect padding of " + pad + " needs a side longer than " + pad + ", got " + x.getShape());
            }
            before = flipped(x, axis, 1, pad + 1);
            after = flipped(x, axis, n - pad - 1, n - 1);
        } else {
            before = repeatedEdge(x, axis, 0, pad);
            after = repeatedEdge(x, axis, n - 1, pad);
        }
        NDArray result = NDArrays.concat(new NDList(before, x, after), axis);
        before.close();
        after.close();
        return result;
    }

    private static NDArray flipped(NDArray x, int axis, long from, long to) {
        try (NDArray slice = x.get(NDIndex.sliceAxis(axis, from, to))) {
            return slice.flip(axis);
        }
    }

    private static NDArray repeatedEdge(NDArray x, int axis, long index, int pad) {
        try (NDArray edge = x.get(NDIndex.sliceAxis(axis, index, index + 1))) {
            long[] dims = edge.getShape().getShape();
            dims[axis] = pad;
            // broadcast is a view; the concat that follows does the only copy.
            return edge.broadcast(new Shape(dims));
        }
    }

    /**
     * The centre {@code height x width} window of the last two axes, starting at floor((big -
     * small) / 2): how a residual shortcut is aligned with a main branch that lost its border.
     * Returns a view, or {@code x} itself when it already has that size.
     */
    public static NDArray centreCrop(NDArray x, long height, long width) {
        checkRank4(x);
        long h = x.getShape().get(HEIGHT);
        long w = x.getShape().get(WIDTH);
        if (height > h || width > w || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("cannot centre-crop " + x.getShape() + " to " + height + "x" + width);
        }
        if (height == h && width == w) {
            return x;
        }
        long top = (h - height) / 2;
        long left = (w - width) / 2;
        return x.get(new NDIndex().addAllDim(2).addSliceDim(top, top + height).addSliceDim(left, left + width));
    }

    /** Output length of a convolution or pooling window: floor((in + 2 pad - kernel) / stride) + 1. */
    public static long convOutput(long in, int kernel, int stride, int pad) {
        long span = in + 2L * pad - kernel;
        if (span < 0) {
            throw new IllegalArgumentException(
                    "input of " + in + " is too small for a " + kernel + "-wide window with padding " + pad);
        }
        return span / stride + 1;
    }

    private static void checkRank4(NDArray x) {
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException("expected an (N, C, H, W) tensor, got " + x.getShape());
        }
    }
}
