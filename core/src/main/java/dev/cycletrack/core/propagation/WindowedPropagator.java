package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Top-k propagation computing only the affinities that can matter, in two passes shared out over the
 * workers:
 *
 * <ol>
 *   <li>Recent frames, in square tiles of target nodes: the cells any node of a tile can see in a
 *       recent frame form one rectangle (the tile grown by the window reach). It is cut into nine
 *       pieces (the tile's own cells, the bands above, below and beside it, the corners), each
 *       multiplied, in all recent frames at once, with only the targets whose windows reach it; each
 *       node keeps the k best inside its windows.
 *   <li>Frame 0 (never radius-restricted), in blocks of {@value #LONG_BLOCK} target nodes: the k-th
 *       best of pass 1 is already high (neighbouring frames look alike), so most of frame 0 cannot
 *       beat it. A {@link SubspaceBound} product 8 times smaller than the exact one bounds every
 *       frame-0 affinity, a second bound on more directions sifts the survivors, and only nodes that
 *       pass both get their exact affinity. Where the bound does not prune (features without a
 *       dominant subspace, or fewer than k window candidates), the block falls back to the exact
 *       product with all of frame 0.
 * </ol>
 *
 * The pieces cost about 2 times the strictly needed window products (the whole rectangle against every
 * target cost 3.7), which keeps the products large enough to run near full speed; one pass per tile
 * (windows then frame 0) measured slower than the two passes; see docs/benchmarks.md. The tiles, pieces
 * and each node's runs of scores form a {@link WindowPlan}, built once per grid, context length and
 * radius.
 */
final class WindowedPropagator implements Propagator {

    static final int TILE = Integer.getInteger("cycletrack.propagation.tile", 8);
    static final int LONG_BLOCK = Integer.getInteger("cycletrack.propagation.longBlock", 128);

    /** Share of a block's exact frame-0 affinities above which bounding costs more than it saves. */
    private static final double MAX_SURVIVING = 0.125;

    /** Plans kept at most; a propagator normally serves one grid shape. */
    private static final int MAX_PLANS = 16;

    private final boolean pruneFrameZero;
    private final java.util.Map<WindowPlan.Key, WindowPlan> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final FrameZeroStats stats = new FrameZeroStats();

    WindowedPropagator() {
        this(!Boolean.getBoolean("cycletrack.propagation.noBound"));
    }

    /** @param pruneFrameZero false computes every frame-0 affinity (for tests and measurements) */
    WindowedPropagator(boolean pruneFrameZero) {
        this.pruneFrameZero = pruneFrameZero;
    }

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
        SubspaceBound bound = pruneFrameZero ? longTerm.subspaceBound() : null;
        boolean bounded = bound != null && bound.useful();
        WindowPlan plan = plan(new WindowPlan.Key(h, w, m, p.radius(), TILE));
        int reach = new RadiusWindow(p.radius()).reach();
        int maxRect = Math.min(h, TILE + 2 * reach) * Math.min(w, TILE + 2 * reach);
        KeptCandidates kept = new KeptCandidates(n, k);
        WindowPlan.Tile[] tiles = plan.tiles();
        Workers.forEach(tiles.length, () -> new TileScratch(c, m * maxRect, plan.maxScores(), k), (s, index) -> {
            WindowPlan.Tile tile = tiles[index];
            recentWindows(tile, recent, target, c, s);
            for (int local = 0; local < tile.nodes; local++) {
                kept.save(s.tops[local], tile.node(local));
            }
        });
        float[] out = new float[n * labelsPerNode];
        Workers.forEach((n + LONG_BLOCK - 1) / LONG_BLOCK, () -> new BlockScratch(n, c, k, bound), (s, block) -> {
            int first = block * LONG_BLOCK;
            int rows = Math.min(LONG_BLOCK, n - first);
            for (int r = 0; r < rows; r++) {
                kept.load(s.tops[r], first + r);
            }
            int done = 0;
            if (bounded && allFull(s.tops, rows)) {
                done = boundedFrameZero(target, first, rows, bound, n, c, s);
            }
            if (done < rows) {
                exhaustiveFrameZero(target, first, rows, done, longTerm, n, c, s);
            }
            for (int r = 0; r < rows; r++) {
                s.tops[r].writeLabel(tau, longTerm, recent, out, (first + r) * labelsPerNode);
            }
        });
        return out;
    }

    /** Every node's k best candidates between the passes, in flat arrays of k slots per node. */
    private record KeptCandidates(float[] score, int[] source, int[] node, int[] count) {
        KeptCandidates(int nodes, int k) {
            this(new float[nodes * k], new int[nodes * k], new int[nodes * k], new int[nodes]);
        }

        void save(TopK top, int at) {
            top.saveTo(score, source, node, count, at);
        }

        void load(TopK top, int at) {
            top.loadFrom(score, source, node, count, at);
        }
    }

    /** The plan for {@code key}, built on first use: a video's grid, context and radius do not change. */
    private WindowPlan plan(WindowPlan.Key key) {
        WindowPlan plan = plans.get(key);
        if (plan == null) {
            if (plans.size() >= MAX_PLANS) {
                plans.clear(); // a propagator serving many grid shapes: keep the cache small
            }
            plan = plans.computeIfAbsent(key, WindowPlan::of);
        }
        return plan;
    }

    /**
     * Pass 1: keeps each node's k best inside its recent windows. Each of the tile's nine pieces is one
     * product of its cells in every recent frame (packed side by side) with the targets that can see
     * them: 0.56 of the work of the whole rectangle against every target at the pose setting, in
     * products still large enough to run near full speed (docs/benchmarks.md).
     */
    private static void recentWindows(
            WindowPlan.Tile t, List<ContextFrame> recent, FloatBuffer target, int c, TileScratch s) {
        int w = t.gridW;
        int m = recent.size();
        for (int local = 0; local < t.nodes; local++) {
            s.tops[local].reset();
        }
        if (m == 0) {
            return;
        }
        int packedTargets = 0;
        int packedCells = 0;
        for (WindowPlan.Piece p : t.pieces) {
            if (p.isEmpty()) {
                continue;
            }
            int firstTarget = packedTargets;
            for (int i = p.targetRow0(); i < p.targetRow1(); i++) {
                s.targets.put(packedTargets * c, target, (i * w + p.targetCol0()) * c, p.targetCols() * c);
                packedTargets += p.targetCols();
            }
            int firstCell = packedCells;
            for (int f = 0; f < m; f++) {
                FloatBuffer src = recent.get(f).features();
                for (int ic = p.cellRow0(); ic < p.cellRow1(); ic++) {
                    s.context.put(packedCells * c, src, (ic * w + p.cellCol0()) * c, p.cellCols() * c);
                    packedCells += p.cellCols();
                }
            }
            // Transposed (cells x targets): measured faster than targets x cells for these shapes.
            Blas.dotRows(
                    s.context,
                    firstCell * c,
                    m * p.cells(),
                    s.targets,
                    firstTarget * c,
                    p.targets(),
                    c,
                    s.scores,
                    p.scoreOffset(),
                    p.targets());
        }
        keepBestInWindows(t, m, s);
    }

    /** Each node's k best among its window cells in the recent frames, from the pieces' scores. */
    private static void keepBestInWindows(WindowPlan.Tile t, int m, TileScratch s) {
        for (int local = 0; local < t.nodes; local++) {
            TopK top = s.tops[local];
            float threshold = top.threshold();
            // Most recent frame first: its affinities are the highest, so the threshold rises early and
            // fewer candidates are offered.
            for (int f = m - 1; f >= 0; f--) {
                for (int r = t.runStart[local]; r < t.runStart[local + 1]; r++) {
                    int index = t.runScore[r] + f * t.runFrameStep[r];
                    int stride = t.runStride[r];
                    int cell = t.runCell[r];
                    int end = cell + t.runLength[r];
                    for (; cell < end; cell++, index += stride) {
                        float v = s.scores.get(index);
                        if (v > threshold) {
                            top.offer(v, f, cell);
                            threshold = top.threshold();
                        }
                    }
                }
            }
        }
    }

    /**
     * Pass 2, bounded: frame-0 candidates whose bound beats the node's current k-th best, in node
     * order, as long as few enough exact affinities are needed; returns how many nodes it finished
     * (the rest need the exhaustive product).
     */
    private int boundedFrameZero(
            FloatBuffer target, int first, int rows, SubspaceBound bound, int n, int c, BlockScratch s) {
        SubspaceBound.Projection projected = bound.projection(PROJECTION.get(), LONG_BLOCK);
        PROJECTION.set(projected);
        bound.projectTargets(target, first * c, rows, projected);
        Blas.dotRows(projected.first, 0, rows, bound.keys(), 0, n, bound.width(), s.frameZero, 0, n);
        long budget = (long) (MAX_SURVIVING * rows * n);
        long exact = 0;
        float[] bounds = s.boundRow;
        for (int local = 0; local < rows; local++) {
            if (exact > budget) {
                stats.record(local, exact, n);
                return local;
            }
            TopK top = s.tops[local];
            target.get((first + local) * c, s.targetRow);
            s.frameZero.get(local * n, bounds);
            float margin = bound.margin(projected.norms[local]);
            float threshold = top.threshold();
            float limit = threshold - margin;
            for (int node = 0; node < n; node++) {
                if (bounds[node] > limit && bound.secondBound(projected, local, node, bounds[node]) > limit) {
                    exact++;
                    float v = bound.affinity(s.targetRow, node);
                    if (v > threshold) {
                        top.offer(v, TopK.LONG_TERM, node);
                        threshold = top.threshold();
                        limit = threshold - margin;
                    }
                }
            }
        }
        stats.record(rows, exact, n);
        return rows;
    }

    /** Pass 2, exhaustive: every frame-0 affinity of the block's nodes from {@code from} on. */
    private void exhaustiveFrameZero(
            FloatBuffer target, int first, int rows, int from, ContextFrame longTerm, int n, int c, BlockScratch s) {
        int left = rows - from;
        stats.exhaustiveRows.add(left);
        Blas.dotRows(target, (first + from) * c, left, longTerm.features(), 0, n, c, s.frameZero, 0, n);
        for (int r = 0; r < left; r++) {
            TopK top = s.tops[from + r];
            float threshold = top.threshold();
            int base = r * n;
            for (int node = 0; node < n; node++) {
                float v = s.frameZero.get(base + node);
                if (v > threshold) {
                    top.offer(v, TopK.LONG_TERM, node);
                    threshold = top.threshold();
                }
            }
        }
    }

    private static boolean allFull(TopK[] tops, int nodes) {
        for (int i = 0; i < nodes; i++) {
            if (tops[i].threshold() == Float.NEGATIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    /** What pruning has done so far in this propagator (all its contexts and frames). */
    FrameZeroStats stats() {
        return stats;
    }

    /** Counts of frame-0 work, to show how much the bound saves. */
    static final class FrameZeroStats {
        final LongAdder boundedRows = new LongAdder();
        final LongAdder exhaustiveRows = new LongAdder();
        final LongAdder exactAffinities = new LongAdder();
        final LongAdder candidates = new LongAdder();

        void record(int rows, long exact, int nodes) {
            boundedRows.add(rows);
            exactAffinities.add(exact);
            candidates.add((long) rows * nodes);
        }

        /** Share of the bounded rows' frame-0 affinities that had to be computed exactly. */
        double exactShare() {
            long all = candidates.sum();
            return all == 0 ? Double.NaN : exactAffinities.sum() / (double) all;
        }
    }

    /** Per-worker buffers of the window pass, sized for the largest tile. */
    private static final class TileScratch {
        final FloatBuffer targets;
        final FloatBuffer context;
        final FloatBuffer scores;
        final TopK[] tops = new TopK[TILE * TILE];

        TileScratch(int channels, int contextNodes, int scoreFloats, int k) {
            int tileNodes = TILE * TILE;
            // Each piece packs its own targets: at most every target nine times (when the reach is
            // longer than the tile).
            targets = Blas.scratch(1, 9L * tileNodes * channels);
            context = Blas.scratch(2, (long) Math.max(1, contextNodes) * channels);
            scores = Blas.scratch(3, Math.max(1, scoreFloats));
            for (int i = 0; i < tileNodes; i++) {
                tops[i] = new TopK(k);
            }
        }
    }

    /** Each worker thread's projection buffers, kept across frames while their shape fits. */
    private static final ThreadLocal<SubspaceBound.Projection> PROJECTION = new ThreadLocal<>();

    /** Per-worker buffers of the frame-0 pass. */
    private static final class BlockScratch {
        final FloatBuffer frameZero;
        final float[] targetRow;
        final float[] boundRow;
        final TopK[] tops = new TopK[LONG_BLOCK];

        BlockScratch(int nodes, int channels, int k, SubspaceBound bound) {
            frameZero = Blas.scratch(0, (long) LONG_BLOCK * nodes);
            targetRow = new float[channels];
            boundRow = new float[nodes];
            for (int i = 0; i < LONG_BLOCK; i++) {
                tops[i] = new TopK(k);
            }
        }
    }
}
