package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Top-k propagation computing only the affinities that can matter, in two passes shared out over the
 * workers:
 *
 * <ol>
 *   <li>Recent frames: each node keeps the k best inside its radius windows. Where the JDK's Vector
 *       API is available ({@link SimdSupport}, the default), pairs of row-neighbour targets meet the
 *       union of their two windows in {@link SimdDots} products (a {@link PairPlan}: 1.15 times the
 *       strictly needed work at the pose setting). Otherwise, in square tiles of target nodes: the
 *       cells any node of a tile can see in a recent frame form one rectangle (the tile grown by the
 *       window reach), cut into nine pieces (the tile's own cells, the bands above, below and beside
 *       it, the corners), each multiplied by OpenBLAS, in all recent frames at once, with only the
 *       targets whose windows reach it (a {@link WindowPlan}: about 2 times the needed work, in
 *       products large enough to run near full speed).
 *   <li>Frame 0 (never radius-restricted), in blocks of {@value #LONG_BLOCK} target nodes: the k-th
 *       best of pass 1 is already high (neighbouring frames look alike), so most of frame 0 cannot
 *       beat it. A {@link SubspaceBound} product 8 times smaller than the exact one bounds every
 *       frame-0 affinity, a second bound on more directions sifts the survivors, and only nodes that
 *       pass both get their exact affinity. Where the bound does not prune (features without a
 *       dominant subspace, or fewer than k window candidates), the block falls back to the exact
 *       product with all of frame 0.
 * </ol>
 *
 * Both window kernels give the dense reference's labels (within float rounding); measurements and
 * what was tried are in docs/benchmarks.md.
 */
final class WindowedPropagator implements Propagator {

    static final int TILE = Integer.getInteger("cycletrack.propagation.tile", 8);
    static final int LONG_BLOCK = Integer.getInteger("cycletrack.propagation.longBlock", 128);

    /** Share of a block's exact frame-0 affinities above which bounding costs more than it saves. */
    private static final double MAX_SURVIVING = 0.125;

    /** Plans kept at most; a propagator normally serves one grid shape. */
    private static final int MAX_PLANS = 16;

    /** Target pairs handed to a worker at a time in the Vector API window pass (a 40-wide grid's row). */
    private static final int PAIRS_PER_TASK = 20;

    private final boolean pruneFrameZero;
    private final boolean vectorKernels;
    private final java.util.Map<WindowPlan.Key, WindowPlan> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<PairPlan.Key, PairPlan> pairPlans = new java.util.concurrent.ConcurrentHashMap<>();
    private final FrameZeroStats stats = new FrameZeroStats();

    WindowedPropagator() {
        this(!Boolean.getBoolean("cycletrack.propagation.noBound"));
    }

    /** @param pruneFrameZero false computes every frame-0 affinity (for tests and measurements) */
    WindowedPropagator(boolean pruneFrameZero) {
        this(pruneFrameZero, SimdSupport.enabled());
    }

    /**
     * @param vectorKernels true runs the window pass and frame 0's scan on {@link SimdDots} (requires
     *     {@link SimdSupport#enabled()}), false on OpenBLAS products of the tiles' pieces and scalar loops
     */
    WindowedPropagator(boolean pruneFrameZero, boolean vectorKernels) {
        if (vectorKernels && !SimdSupport.enabled()) {
            throw new IllegalStateException(
                    "the Vector API kernels are not available: " + SimdSupport.unavailableReason());
        }
        this.pruneFrameZero = pruneFrameZero;
        this.vectorKernels = vectorKernels;
    }

    @Override
    public String toString() {
        return "windowed propagation (" + (vectorKernels ? "Vector API kernels" : "OpenBLAS pieces, scalar scans")
                + ", frame 0 " + (pruneFrameZero ? "bounded" : "exhaustive") + ")";
    }

    /** Which kernel the window pass runs on, for logs and benchmarks. */
    static String describeWindowPass() {
        return SimdSupport.enabled()
                ? "Vector API kernels (jdk.incubator.vector, " + SimdDots.lanes()
                        + " lanes) for the windows in pairs of targets and for frame 0's bound scan and exact affinities"
                : "OpenBLAS products of window pieces and scalar frame-0 scans (Vector API off: "
                        + SimdSupport.unavailableReason() + ")";
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
        KeptCandidates kept = new KeptCandidates(n, k);
        if (vectorKernels) {
            pairedWindows(recent, target, h, w, c, p, kept);
        } else {
            WindowPlan plan = plan(plans, new WindowPlan.Key(h, w, m, p.radius(), TILE), WindowPlan::of);
            int reach = new RadiusWindow(p.radius()).reach();
            int maxRect = Math.min(h, TILE + 2 * reach) * Math.min(w, TILE + 2 * reach);
            WindowPlan.Tile[] tiles = plan.tiles();
            Workers.forEach(tiles.length, () -> new TileScratch(c, m * maxRect, plan.maxScores(), k), (s, index) -> {
                WindowPlan.Tile tile = tiles[index];
                recentWindows(tile, recent, target, c, s);
                for (int local = 0; local < tile.nodes; local++) {
                    kept.save(s.tops[local], tile.node(local));
                }
            });
        }
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

    /** The plan for {@code key} in {@code cache}, built on first use: a video's grid does not change. */
    private static <K, P> P plan(java.util.Map<K, P> cache, K key, java.util.function.Function<K, P> build) {
        P plan = cache.get(key);
        if (plan == null) {
            if (cache.size() >= MAX_PLANS) {
                cache.clear(); // a propagator serving many grid shapes: keep the cache small
            }
            plan = cache.computeIfAbsent(key, build);
        }
        return plan;
    }

    /**
     * Pass 1 on {@link SimdDots}: each pair of row-neighbour targets against the union of its two
     * windows in every recent frame, most recent first; each target offers only the cells it sees.
     */
    private void pairedWindows(
            List<ContextFrame> recent,
            FloatBuffer target,
            int h,
            int w,
            int c,
            PropagationParams p,
            KeptCandidates kept) {
        PairPlan plan = plan(pairPlans, new PairPlan.Key(h, w, p.radius()), PairPlan::of);
        int m = recent.size();
        int k = p.topK();
        float[][] frames = new float[m][];
        for (int f = 0; f < m; f++) {
            frames[f] = recent.get(f).heapFeatures();
        }
        float[] q = TARGET_COPY.get();
        if (q.length < h * w * c) {
            q = new float[h * w * c];
            TARGET_COPY.set(q);
        }
        target.get(0, q, 0, h * w * c);
        float[] targets = q;
        int pairs = plan.pairs();
        Workers.forEach(
                (pairs + PAIRS_PER_TASK - 1) / PAIRS_PER_TASK,
                () -> new PairScratch(k, PAIRS_PER_TASK, plan.maxCells()),
                (s, task) -> {
                    int begin = task * PAIRS_PER_TASK;
                    int end = Math.min(pairs, begin + PAIRS_PER_TASK);
                    pairWindows(plan, begin, end, frames, targets, c, s);
                    for (int pair = begin; pair < end; pair++) {
                        kept.save(s.first[pair - begin], plan.first(pair));
                        if (plan.paired(pair)) {
                            kept.save(s.second[pair - begin], plan.second(pair));
                        }
                    }
                });
    }

    /**
     * The k best inside their windows of pairs [begin, end), into {@code s.first} and {@code s.second}.
     * Frame by frame (most recent first), all pairs of the task in turn: the task's windows in one
     * frame (a band of rows) stay in the core's cache while its pairs are visited.
     */
    private static void pairWindows(
            PairPlan plan, int begin, int end, float[][] frames, float[] targets, int c, PairScratch s) {
        for (int i = 0; i < end - begin; i++) {
            s.first[i].reset();
            s.second[i].reset();
        }
        int[] cells = plan.cells();
        byte[] flags = plan.flags();
        float[] scores = s.scores;
        for (int f = frames.length - 1; f >= 0; f--) {
            for (int pair = begin; pair < end; pair++) {
                TopK a = s.first[pair - begin];
                TopK b = s.second[pair - begin];
                int from = plan.cellStart(pair);
                int to = plan.cellStart(pair + 1);
                int len = to - from;
                SimdDots.pairDots(targets, plan.first(pair), plan.second(pair), frames[f], cells, from, to, c, scores);
                float ta = a.threshold();
                float tb = b.threshold();
                for (int j = 0; j < len; j++) {
                    int flag = flags[from + j];
                    float va = scores[j];
                    if (va > ta && (flag & PairPlan.FIRST) != 0) {
                        a.offer(va, f, cells[from + j]);
                        ta = a.threshold();
                    }
                    float vb = scores[len + j];
                    if (vb > tb && (flag & PairPlan.SECOND) != 0) {
                        b.offer(vb, f, cells[from + j]);
                        tb = b.threshold();
                    }
                }
            }
        }
    }

    /** The calling thread's heap copy of the target features, reused across frames. */
    private static final ThreadLocal<float[]> TARGET_COPY = ThreadLocal.withInitial(() -> new float[0]);

    /** Per-worker state of the Vector API window pass: the k best of a task's pairs. */
    private static final class PairScratch {
        final TopK[] first;
        final TopK[] second;
        final float[] scores;

        PairScratch(int k, int pairs, int maxCells) {
            first = new TopK[pairs];
            second = new TopK[pairs];
            for (int i = 0; i < pairs; i++) {
                first[i] = new TopK(k);
                second[i] = new TopK(k);
            }
            scores = new float[2 * Math.max(4, maxCells)];
        }
    }

    /**
     * Pass 1 on OpenBLAS: keeps each node's k best inside its recent windows. Each of the tile's nine pieces is one
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
            for (int node = firstAbove(bounds, 0, n, limit); node < n; node = firstAbove(bounds, node + 1, n, limit)) {
                if (bound.secondBound(projected, local, node, bounds[node], vectorKernels) > limit) {
                    exact++;
                    float v = bound.affinity(s.targetRow, node, vectorKernels);
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

    /** The first of {@code values[from, to)} above {@code limit}, or {@code to}. */
    private int firstAbove(float[] values, int from, int to, float limit) {
        if (vectorKernels) {
            return SimdDots.firstAbove(values, from, to, limit);
        }
        int i = from;
        while (i < to && !(values[i] > limit)) {
            i++;
        }
        return i;
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
