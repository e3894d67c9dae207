package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * The reference path, written as literally as SPEC 2 states it: the affinity of every target node
 * with every node of every context entry, -1e10 added outside the radius for recent entries, then
 * top-k over all (m+1)*h*w candidates. Used by tests and the benchmark as ground truth for {@link
 * WindowedPropagator}.
 */
final class DensePropagator implements Propagator {

    private static final int BLOCK = 64;
    private static final float MASKED = -1e10f;

    @Override
    public float[] propagate(
            ContextFrame longTerm, List<ContextFrame> recent, FloatBuffer target, PropagationParams p) {
        int h = longTerm.height();
        int w = longTerm.width();
        int c = longTerm.channels();
        int n = h * w;
        int labelsPerNode = longTerm.labels().channels();
        float tau = (float) p.temperature();
        double radius = p.radius();
        float[] out = new float[n * labelsPerNode];
        int blocks = (n + BLOCK - 1) / BLOCK;

        Workers.forEach(blocks, () -> new Scratch(n, p.topK()), (s, block) -> {
            int first = block * BLOCK;
            int count = Math.min(BLOCK, n - first);
            for (int t = 0; t < count; t++) {
                s.tops[t].reset();
            }
            for (int e = 0; e <= recent.size(); e++) {
                FloatBuffer context =
                        e == 0 ? longTerm.features() : recent.get(e - 1).features();
                Blas.dotRows(target, first * c, count, context, 0, n, c, s.scores, 0, n);
                for (int t = 0; t < count; t++) {
                    int q = first + t;
                    int qi = q / w;
                    int qj = q % w;
                    TopK top = s.tops[t];
                    for (int node = 0; node < n; node++) {
                        float v = s.scores.get(t * n + node);
                        if (e > 0) {
                            int di = node / w - qi;
                            int dj = node % w - qj;
                            if (!(Math.sqrt((double) di * di + (double) dj * dj) < radius)) {
                                v += MASKED;
                            }
                        }
                        top.offer(v, e == 0 ? TopK.LONG_TERM : e - 1, node);
                    }
                }
            }
            for (int t = 0; t < count; t++) {
                s.tops[t].writeLabel(tau, longTerm, recent, out, (first + t) * labelsPerNode);
            }
        });
        return out;
    }

    private static final class Scratch {
        final FloatBuffer scores;
        final TopK[] tops;

        Scratch(int nodes, int k) {
            scores = Blas.scratch(4, (long) BLOCK * nodes);
            tops = new TopK[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                tops[i] = new TopK(k);
            }
        }
    }
}
