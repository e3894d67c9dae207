package dev.cycletrack.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cycletrack.trainer.geometry.WarpGrid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The STFC3 objective of SPEC 3.2-3.3 on a batch of clips: the warp of the forward features onto the
 * backward grid, the mask, the palindrome transitions with temperature and edge dropout, the cycles and
 * the masked loss, plus the diagnostic cycle accuracy.
 *
 * <p>Input layout: {@code (B, 2T, D, h, w)}, L2-normalised over D. Per clip, index 0..T-1 holds the forward
 * track f_1..f_T (time order) and index T..2T-1 the backward track as it was fed, reversed: b_T, ..., b_1.
 * So b_s (1-based) sits at index T + (T - s).
 */
public final class CycleLoss {

    /** Logit given to dropped edges, before dividing by tau (SPEC 3.3). */
    public static final float DROPPED_LOGIT = -1e20f;

    public static final double LOG_EPSILON = 1e-7;
    public static final double MASK_EPSILON = 1e-5;

    /**
     * @param temperature tau of the softmax
     * @param edgeDropout probability that a logit is dropped (0 turns dropout off)
     * @param includeShortestCycle also use s = T-1 (the code skips it; needed for T = 2)
     */
    public record Settings(double temperature, double edgeDropout, boolean includeShortestCycle) {
        public Settings {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
            }
            if (!(edgeDropout >= 0 && edgeDropout < 1)) {
                throw new IllegalArgumentException("edge dropout must be in [0, 1), got " + edgeDropout);
            }
        }
    }

    /**
     * @param loss scalar, part of the autograd graph
     * @param lossValue its value
     * @param accuracy masked fraction of rows whose cycle argmax returns to the start node, mean over cycles
     * @param cycleLosses L(s) per cycle, in order of {@link #cycleStarts}
     * @param maskFraction mean of the mask over the batch
     */
    public record Result(
            NDArray loss, double lossValue, double accuracy, List<Double> cycleLosses, double maskFraction) {}

    private final Settings settings;

    public CycleLoss(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The cycle start frames s (1-based): 1..T-2 as the reference code, plus T-1 when asked. */
    public static List<Integer> cycleStarts(int clipLength, boolean includeShortest) {
        List<Integer> starts = new ArrayList<>();
        int last = includeShortest ? clipLength - 1 : clipLength - 2;
        for (int s = 1; s <= last; s++) {
            starts.add(s);
        }
        return starts;
    }

    /** Number of transition factors in A_cyc(s): 2(T-s)+1. */
    public static int factors(int clipLength, int start) {
        return 2 * (clipLength - start) + 1;
    }

    /**
     * The loss over a batch.
     *
     * @param features (B, 2T, D, h, w), L2-normalised per cell
     * @param grids one warp grid per clip (Theta = B_f inverse(B_b), h x w both ways)
     * @param training whether edge dropout applies (off at test/diagnostic time)
     */
    public Result compute(NDArray features, List<WarpGrid> grids, boolean training) {
        Shape s = features.getShape();
        if (s.dimension() != 5 || s.get(1) % 2 != 0) {
            throw new IllegalArgumentException("expected (B, 2T, D, h, w) features, got " + s);
        }
        int batch = Math.toIntExact(s.get(0));
        int clip = Math.toIntExact(s.get(1) / 2);
        long dims = s.get(2);
        int h = Math.toIntExact(s.get(3));
        int w = Math.toIntExact(s.get(4));
        int p = h * w;
        List<Integer> starts = cycleStarts(clip, settings.includeShortestCycle());
        if (starts.isEmpty()) {
            throw new IllegalArgumentException("a clip of T = " + clip
                    + " frames has no cycle with s = 1..T-2; include the shortest cycle (s = T-1) or use T >= 3");
        }
        if (grids.size() != batch) {
            throw new IllegalArgumentException("need one warp grid per clip: " + batch + " clips, " + grids.size());
        }
        NDManager m = features.getManager();
        float[] maskValues = new float[batch * p];
        for (int b = 0; b < batch; b++) {
            WarpGrid g = grids.get(b);
            if (g.outHeight() != h || g.outWidth() != w || g.inHeight() != h || g.inWidth() != w) {
                throw new IllegalArgumentException("warp grid " + b + " is not " + h + "x" + w);
            }
            System.arraycopy(g.mask(), 0, maskValues, b * p, p);
        }
        NDArray mask = BilinearSampler.owned(m.create(maskValues, new Shape(batch, p)));
        double maskSum = 0;
        for (float v : maskValues) {
            maskSum += v;
        }

        Map<String, NDArray> transitions = new HashMap<>();
        int minStart = starts.get(0);
        // A(f_k -> f_{k+1}) for k = minStart+1 .. T-1, A(f_T -> b_T), A(b_{k+1} -> b_k) for k = minStart .. T-1.
        for (int k = minStart + 1; k <= clip - 1; k++) {
            transitions.put(
                    "f" + k,
                    transition(
                            forward(features, k, batch, dims, p), forward(features, k + 1, batch, dims, p), training));
        }
        transitions.put(
                "fb",
                transition(
                        forward(features, clip, batch, dims, p),
                        backward(features, clip, clip, batch, dims, p),
                        training));
        for (int k = minStart; k <= clip - 1; k++) {
            transitions.put(
                    "b" + k,
                    transition(
                            backward(features, k + 1, clip, batch, dims, p),
                            backward(features, k, clip, batch, dims, p),
                            training));
        }
        // M_s: the cycle without its first factor, built from the shortest outwards and shared.
        Map<Integer, NDArray> tails = new HashMap<>();
        NDArray tail = transitions.get("fb").matMul(transitions.get("b" + (clip - 1)));
        tails.put(clip - 1, tail);
        for (int k = clip - 2; k >= minStart; k--) {
            tail = transitions.get("f" + (k + 1)).matMul(tail).matMul(transitions.get("b" + k));
            tails.put(k, tail);
        }

        NDArray total = null;
        double accuracySum = 0;
        List<Double> perCycle = new ArrayList<>();
        try (NDArray identity = m.arange(0, p, 1, DataType.INT64).reshape(1, p)) {
            for (int start : starts) {
                NDArray fs = features.get(new NDIndex(":, {}", start - 1));
                NDArray warped =
                        BilinearSampler.warp(fs, grids).reshape(batch, dims, p).normalize(2, 1, 1e-12);
                NDArray first = transition(warped, forward(features, start + 1, batch, dims, p), training);
                NDArray cycle = first.matMul(tails.get(start));
                NDArray diag = cycle.diagonal(0, 1, 2);
                NDArray logs = diag.add((float) LOG_EPSILON).log();
                NDArray lossS = logs.mul(mask).sum().neg().div((float) (maskSum + MASK_EPSILON));
                perCycle.add((double) lossS.getFloat());
                total = total == null ? lossS : total.add(lossS);
                NDArray hits = cycle.argMax(2).eq(identity).toType(DataType.FLOAT32, false);
                accuracySum += maskSum > 0 ? hits.mul(mask).sum().getFloat() / maskSum : 0;
            }
        }
        NDArray loss = total.div((float) starts.size());
        return new Result(loss, loss.getFloat(), accuracySum / starts.size(), perCycle, maskSum / (batch * p));
    }

    /** f_s as (B, D, P). */
    private static NDArray forward(NDArray features, int s, int batch, long dims, int p) {
        return features.get(new NDIndex(":, {}", s - 1)).reshape(batch, dims, p);
    }

    /** b_s as (B, D, P): the backward track is stored reversed, so b_s is at index T + (T - s). */
    private static NDArray backward(NDArray features, int s, int clip, int batch, long dims, int p) {
        return features.get(new NDIndex(":, {}", clip + (clip - s))).reshape(batch, dims, p);
    }

    /**
     * A(X -> Y)[i, j] = softmax_j(drop(<X_i, Y_j>) / tau) for X, Y of shape (B, D, P): a (B, P, P)
     * row-stochastic matrix. In training, each logit is replaced by {@link #DROPPED_LOGIT} with probability
     * edgeDropout (drawn from the engine's generator, which the trainer seeds per step).
     */
    public NDArray transition(NDArray x, NDArray y, boolean training) {
        NDArray logits = x.transpose(0, 2, 1).matMul(y);
        if (training && settings.edgeDropout() > 0) {
            NDManager m = logits.getManager();
            NDArray dropped = m.randomUniform(0f, 1f, logits.getShape())
                    .lt((float) settings.edgeDropout())
                    .toType(DataType.FLOAT32, false);
            logits = logits.add(dropped.mul(DROPPED_LOGIT));
        }
        return logits.div((float) settings.temperature()).softmax(2);
    }
}
