package dev.cycletrack.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.trainer.geometry.WarpGrid;
import java.util.List;

/**
 * A differentiable bilinear sampler (PyTorch's {@code grid_sample} with {@code align_corners=True},
 * {@code padding_mode='zeros'}), which DJL lacks. Each item of the batch has its own {@link WarpGrid}; the
 * four neighbours of every output cell are read with one {@code gather} along the flattened spatial axis
 * and blended with the bilinear weights, so gradients flow back to the input features (gather's backward
 * is a scatter-add).
 */
public final class BilinearSampler {

    private BilinearSampler() {}

    /**
     * Warps {@code input} (N, C, H, W) with one grid per item into (N, C, outH, outW). The result is
     * attached to {@code input}'s manager.
     */
    public static NDArray warp(NDArray input, List<WarpGrid> grids) {
        Shape s = input.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("expected (N, C, H, W), got " + s);
        }
        int n = Math.toIntExact(s.get(0));
        long c = s.get(1);
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        if (grids.size() != n) {
            throw new IllegalArgumentException(
                    "need one warp grid per batch item: " + n + " items, " + grids.size() + " grids");
        }
        WarpGrid first = grids.get(0);
        int outH = first.outHeight();
        int outW = first.outWidth();
        int p = outH * outW;
        long[] index = new long[n * WarpGrid.NEIGHBOURS * p];
        float[] weight = new float[n * WarpGrid.NEIGHBOURS * p];
        for (int b = 0; b < n; b++) {
            WarpGrid g = grids.get(b);
            if (g.inHeight() != h || g.inWidth() != w || g.outHeight() != outH || g.outWidth() != outW) {
                throw new IllegalArgumentException("warp grid " + b + " maps " + g.inHeight() + "x" + g.inWidth()
                        + " -> " + g.outHeight() + "x" + g.outWidth() + " but the input is " + h + "x" + w
                        + " and grid 0 gives " + outH + "x" + outW);
            }
            int[] idx = g.index();
            float[] wt = g.weight();
            int base = b * WarpGrid.NEIGHBOURS * p;
            for (int k = 0; k < idx.length; k++) {
                index[base + k] = idx[k];
                weight[base + k] = wt[k];
            }
        }
        NDManager m = input.getManager();
        // The index and weights are saved by autograd for the backward pass. Arrays made from Java data
        // may point at a Java-owned buffer, so they are cloned into engine-owned memory and left open
        // (they belong to the input's manager, which the caller closes after backward).
        NDArray idx = owned(m.create(index, new Shape(n, 1, (long) WarpGrid.NEIGHBOURS * p)));
        NDArray wts = owned(m.create(weight, new Shape(n, 1, WarpGrid.NEIGHBOURS, p)));
        NDArray flat = input.reshape(n, c, (long) h * w);
        NDArray expanded = idx.broadcast(new Shape(n, c, (long) WarpGrid.NEIGHBOURS * p));
        NDArray gathered = flat.gather(expanded, 2);
        NDArray weighted = gathered.reshape(n, c, WarpGrid.NEIGHBOURS, p).mul(wts);
        return weighted.sum(new int[] {2}).reshape(n, c, outH, outW);
    }

    /** A copy in engine-owned memory (the original, possibly backed by a Java buffer, is closed). */
    public static NDArray owned(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }
}
