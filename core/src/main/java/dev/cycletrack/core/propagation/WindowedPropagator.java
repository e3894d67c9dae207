package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Top-k propagation computing only the affinities that can matter: all of frame 0, and for the
 * recent frames only the radius window around each target node.
 *
 * <p>Targets are processed in tiles. For a tile, the context cells any of its nodes can see in a
 * recent frame form one rectangle (the tile grown by the window reach); the rectangles of all recent
 * frames are packed side by side so that a single matrix product per tile yields every needed
 * affinity. Tiles of 8x8 keep the product large enough to run near full speed while computing about
 * twice the strictly needed dot products (see docs/benchmarks.md).
 */
final class WindowedPropagator implements Propagator {

    static final int TILE = Integer.getInteger("cycletrack.propagation.tile", 8);

    @Override
    public float[] propagate(
            ContextFrame longTerm, List<ContextFrame> recent, FloatBuffer target, PropagationParams p) {
        int h = longTerm.height();
        int w = longTerm.width();
        int c = longTerm.channels();
        int n = h * w;
        int m = recent.size();
        int labelsPerNode = longTerm.labels().channels();
        RadiusWindow window = new RadiusWindow(p.radius());
        int reach = window.reach();
        int tilesY = (h + TILE - 1) / TILE;
        int tilesX = (w + TILE - 1) / TILE;
        int maxRect = Math.min(h, TILE + 2 * reach) * Math.min(w, TILE + 2 * reach);
        float tau = (float) p.temperature();
        float[] out = new float[n * labelsPerNode];

        Workers.forEach(tilesY * tilesX, () -> new Scratch(TILE * TILE, c, n, m * maxRect, p.topK()), (s, tile) -> {
            int i0 = (tile / tilesX) * TILE;
            int j0 = (tile % tilesX) * TILE;
            int i1 = Math.min(h, i0 + TILE);
            int j1 = Math.min(w, j0 + TILE);
            int tw = j1 - j0;
            int tileNodes = (i1 - i0) * tw;
            for (int i = i0; i < i1; i++) {
                s.targets.put((i - i0) * tw * c, target, (i * w + j0) * c, tw * c);
            }
            Blas.dotRows(s.targets, 0, tileNodes, longTerm.features(), 0, n, c, s.longScores, 0, n);

            int r0 = Math.max(0, i0 - reach);
            int r1 = Math.min(h, i1 + reach);
            int c0 = Math.max(0, j0 - reach);
            int c1 = Math.min(w, j1 + reach);
            int rectW = c1 - c0;
            int rect = (r1 - r0) * rectW;
            for (int f = 0; f < m; f++) {
                FloatBuffer src = recent.get(f).features();
                for (int ic = r0; ic < r1; ic++) {
                    s.context.put((f * rect + (ic - r0) * rectW) * c, src, (ic * w + c0) * c, rectW * c);
                }
            }
            int ld = m * rect;
            Blas.dotRows(s.targets, 0, tileNodes, s.context, 0, ld, c, s.windowScores, 0, ld);

            TopK top = s.top;
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    int local = (i - i0) * tw + (j - j0);
                    top.reset();
                    float threshold = Float.NEGATIVE_INFINITY;
                    int base = local * n;
                    for (int node = 0; node < n; node++) {
                        float v = s.longScores.get(base + node);
                        if (v > threshold) {
                            top.offer(v, TopK.LONG_TERM, node);
                            threshold = top.threshold();
                        }
                    }
                    for (int f = 0; f < m; f++) {
                        int frameBase = local * ld + f * rect;
                        for (int ic = Math.max(r0, i - reach); ic < Math.min(r1, i + reach + 1); ic++) {
                            int half = window.halfWidth(ic - i);
                            int jlo = Math.max(0, j - half);
                            int jhi = Math.min(w - 1, j + half);
                            int rowBase = frameBase + (ic - r0) * rectW - c0;
                            for (int jc = jlo; jc <= jhi; jc++) {
                                float v = s.windowScores.get(rowBase + jc);
                                if (v > threshold) {
                                    top.offer(v, f, ic * w + jc);
                                    threshold = top.threshold();
                                }
                            }
                        }
                    }
                    top.writeLabel(tau, longTerm, recent, out, (i * w + j) * labelsPerNode);
                }
            }
        });
        return out;
    }

    /** Per-worker buffers, sized for the largest tile. */
    private static final class Scratch {
        final FloatBuffer targets;
        final FloatBuffer longScores;
        final FloatBuffer context;
        final FloatBuffer windowScores;
        final TopK top;

        Scratch(int tileNodes, int channels, int nodes, int contextNodes, int k) {
            targets = Blas.scratch(0, (long) tileNodes * channels);
            longScores = Blas.scratch(1, (long) tileNodes * nodes);
            context = Blas.scratch(2, (long) Math.max(1, contextNodes) * channels);
            windowScores = Blas.scratch(3, (long) tileNodes * Math.max(1, contextNodes));
            top = new TopK(k);
        }
    }
}
