package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Top-k propagation computing only the affinities that can matter: all of frame 0, and for the
 * recent frames only the radius window around each target node. Two passes:
 *
 * <ol>
 *   <li>Frame 0, in blocks of {@value #LONG_BLOCK} target nodes: one large matrix product per block
 *       (large blocks amortise the product's own packing of its operands), keeping each node's k best.
 *   <li>Recent frames, in square tiles of target nodes: the cells any node of a tile can see in a
 *       recent frame form one rectangle (the tile grown by the window reach); the rectangles of all
 *       recent frames are packed side by side so that one product per tile yields every needed
 *       affinity, and each node's k best from pass 1 are updated with the cells inside its window.
 * </ol>
 *
 * Tiles compute about twice the strictly needed dot products (the rectangle corners and the cells of
 * a neighbour's window), which keeps the products large enough to run near full speed; see
 * docs/benchmarks.md.
 */
final class WindowedPropagator implements Propagator {

    static final int TILE = Integer.getInteger("cycletrack.propagation.tile", 8);
    static final int LONG_BLOCK = Integer.getInteger("cycletrack.propagation.longBlock", 256);

    @Override
    public float[] propagate(
            ContextFrame longTerm, List<ContextFrame> recent, FloatBuffer target, PropagationParams p) {
        int h = longTerm.height();
        int w = longTerm.width();
        int c = longTerm.channels();
        int n = h * w;
        int m = recent.size();
        int k = p.topK();
        int labelsPerNode = longTerm.labels().channels();
        float tau = (float) p.temperature();

        // Pass 1: frame 0, every cell.
        float[] bestScore = new float[n * k];
        int[] bestSource = new int[n * k];
        int[] bestNode = new int[n * k];
        int[] bestCount = new int[n];
        Workers.forEach((n + LONG_BLOCK - 1) / LONG_BLOCK, () -> new LongScratch(n, k), (s, block) -> {
            int first = block * LONG_BLOCK;
            int rows = Math.min(LONG_BLOCK, n - first);
            Blas.dotRows(target, first * c, rows, longTerm.features(), 0, n, c, s.scores, 0, n);
            for (int t = 0; t < rows; t++) {
                s.top.reset();
                float threshold = Float.NEGATIVE_INFINITY;
                int base = t * n;
                for (int node = 0; node < n; node++) {
                    float v = s.scores.get(base + node);
                    if (v > threshold) {
                        s.top.offer(v, TopK.LONG_TERM, node);
                        threshold = s.top.threshold();
                    }
                }
                s.top.saveTo(bestScore, bestSource, bestNode, bestCount, first + t);
            }
        });

        // Pass 2: recent frames, radius windows only.
        RadiusWindow window = new RadiusWindow(p.radius());
        int reach = window.reach();
        int tilesY = (h + TILE - 1) / TILE;
        int tilesX = (w + TILE - 1) / TILE;
        int maxRect = Math.min(h, TILE + 2 * reach) * Math.min(w, TILE + 2 * reach);
        float[] out = new float[n * labelsPerNode];
        Workers.forEach(tilesY * tilesX, () -> new TileScratch(TILE * TILE, c, m * maxRect, k), (s, tile) -> {
            int i0 = (tile / tilesX) * TILE;
            int j0 = (tile % tilesX) * TILE;
            int i1 = Math.min(h, i0 + TILE);
            int j1 = Math.min(w, j0 + TILE);
            int tw = j1 - j0;
            int tileNodes = (i1 - i0) * tw;
            int r0 = Math.max(0, i0 - reach);
            int r1 = Math.min(h, i1 + reach);
            int c0 = Math.max(0, j0 - reach);
            int c1 = Math.min(w, j1 + reach);
            int rectW = c1 - c0;
            int rect = (r1 - r0) * rectW;
            int ld = m * rect;
            if (m > 0) {
                for (int i = i0; i < i1; i++) {
                    s.targets.put((i - i0) * tw * c, target, (i * w + j0) * c, tw * c);
                }
                for (int f = 0; f < m; f++) {
                    FloatBuffer src = recent.get(f).features();
                    for (int ic = r0; ic < r1; ic++) {
                        s.context.put((f * rect + (ic - r0) * rectW) * c, src, (ic * w + c0) * c, rectW * c);
                    }
                }
                Blas.dotRows(s.targets, 0, tileNodes, s.context, 0, ld, c, s.scores, 0, ld);
            }
            TopK top = s.top;
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    int q = i * w + j;
                    top.loadFrom(bestScore, bestSource, bestNode, bestCount, q);
                    float threshold = top.threshold();
                    int local = (i - i0) * tw + (j - j0);
                    for (int f = 0; f < m; f++) {
                        int frameBase = local * ld + f * rect;
                        for (int ic = Math.max(r0, i - reach); ic < Math.min(r1, i + reach + 1); ic++) {
                            int half = window.halfWidth(ic - i);
                            int jlo = Math.max(0, j - half);
                            int jhi = Math.min(w - 1, j + half);
                            int rowBase = frameBase + (ic - r0) * rectW - c0;
                            for (int jc = jlo; jc <= jhi; jc++) {
                                float v = s.scores.get(rowBase + jc);
                                if (v > threshold) {
                                    top.offer(v, f, ic * w + jc);
                                    threshold = top.threshold();
                                }
                            }
                        }
                    }
                    top.writeLabel(tau, longTerm, recent, out, q * labelsPerNode);
                }
            }
        });
        return out;
    }

    /** Per-worker buffers of pass 1. */
    private static final class LongScratch {
        final FloatBuffer scores;
        final TopK top;

        LongScratch(int nodes, int k) {
            scores = Blas.scratch(0, (long) LONG_BLOCK * nodes);
            top = new TopK(k);
        }
    }

    /** Per-worker buffers of pass 2, sized for the largest tile. */
    private static final class TileScratch {
        final FloatBuffer targets;
        final FloatBuffer context;
        final FloatBuffer scores;
        final TopK top;

        TileScratch(int tileNodes, int channels, int contextNodes, int k) {
            targets = Blas.scratch(1, (long) tileNodes * channels);
            context = Blas.scratch(2, (long) Math.max(1, contextNodes) * channels);
            scores = Blas.scratch(3, (long) tileNodes * Math.max(1, contextNodes));
            top = new TopK(k);
        }
    }
}
