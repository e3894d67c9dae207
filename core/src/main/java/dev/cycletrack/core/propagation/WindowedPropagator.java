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
 * (windows then frame 0) measured slower than the two passes; see docs/benchmarks.md.
 */
final class WindowedPropagator implements Propagator {

    static final int TILE = Integer.getInteger("cycletrack.propagation.tile", 8);
    static final int LONG_BLOCK = Integer.getInteger("cycletrack.propagation.longBlock", 128);

    /** Share of a block's exact frame-0 affinities above which bounding costs more than it saves. */
    private static final double MAX_SURVIVING = 0.125;

    private final boolean pruneFrameZero;
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
        RadiusWindow window = new RadiusWindow(p.radius());
        int reach = window.reach();
        int tilesY = (h + TILE - 1) / TILE;
        int tilesX = (w + TILE - 1) / TILE;
        int maxRect = Math.min(h, TILE + 2 * reach) * Math.min(w, TILE + 2 * reach);
        KeptCandidates kept = new KeptCandidates(n, k);
        Workers.forEach(tilesY * tilesX, () -> new TileScratch(c, m * maxRect, k), (s, index) -> {
            Tile tile = new Tile(index, tilesX, h, w, reach);
            recentWindows(tile, recent, target, c, window, s);
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

    /** A square of target nodes [i0, i1) x [j0, j1) and the context rectangle its windows reach. */
    private static final class Tile {
        final int i0;
        final int j0;
        final int i1;
        final int j1;
        final int width;
        final int nodes;
        final int r0;
        final int r1;
        final int c0;
        final int rectW;
        final int gridW;

        Tile(int index, int tilesX, int h, int w, int reach) {
            i0 = (index / tilesX) * TILE;
            j0 = (index % tilesX) * TILE;
            i1 = Math.min(h, i0 + TILE);
            j1 = Math.min(w, j0 + TILE);
            width = j1 - j0;
            nodes = (i1 - i0) * width;
            r0 = Math.max(0, i0 - reach);
            r1 = Math.min(h, i1 + reach);
            c0 = Math.max(0, j0 - reach);
            rectW = Math.min(w, j1 + reach) - c0;
            gridW = w;
        }

        /** Grid node of the tile's {@code local}-th node (row-major inside the tile). */
        int node(int local) {
            return (i0 + local / width) * gridW + j0 + local % width;
        }
    }

    /**
     * One of the nine parts of a tile's window product: the context cells in one row band and one column
     * band of the tile's rectangle (above, level with, below; left of, level with, right of the tile),
     * against only the tile's targets whose windows reach those bands. Cells above the tile, for
     * example, are seen only by the target rows within the window's reach of the tile's top.
     */
    private static final class Piece {
        int cellRow0;
        int cellCol0;
        int cellCols;
        int cells;
        int targetRow0;
        int targetCol0;
        int targetCols;
        int targets;
        int scoreOffset;

        /** Where the score of cell (cellRow, cellCol) in recent frame {@code f} for target (i, j) lies. */
        int scoreIndex(int f, int cellRow, int cellCol, int i, int j) {
            int cell = f * cells + (cellRow - cellRow0) * cellCols + cellCol - cellCol0;
            return scoreOffset + cell * targets + (i - targetRow0) * targetCols + j - targetCol0;
        }
    }

    /**
     * Pass 1: keeps each node's k best inside its recent windows. The tile's rectangle is cut into nine
     * {@link Piece}s, each one product of its cells in every recent frame (packed side by side) with
     * the targets that can see them: 0.56 of the work of the whole rectangle against every target at
     * the pose setting, in products still large enough to run near full speed (docs/benchmarks.md).
     */
    private static void recentWindows(
            Tile t, List<ContextFrame> recent, FloatBuffer target, int c, RadiusWindow window, TileScratch s) {
        int w = t.gridW;
        int m = recent.size();
        int reach = window.reach();
        for (int local = 0; local < t.nodes; local++) {
            s.tops[local].reset();
        }
        if (m == 0) {
            return;
        }
        int[] cellRows = {t.r0, t.i0, t.i1, t.r1};
        int[] cellCols = s.cellCols;
        cellCols[0] = t.c0;
        cellCols[1] = t.j0;
        cellCols[2] = t.j1;
        cellCols[3] = t.c0 + t.rectW;
        int[] targetRows = {t.i0, Math.min(t.i1, t.i0 + reach), t.i0, t.i1, Math.max(t.i0, t.i1 - reach), t.i1};
        int[] targetCols = {t.j0, Math.min(t.j1, t.j0 + reach), t.j0, t.j1, Math.max(t.j0, t.j1 - reach), t.j1};
        int packedTargets = 0;
        int packedCells = 0;
        int scores = 0;
        for (int band = 0; band < 9; band++) {
            int rb = band / 3;
            int cb = band % 3;
            Piece p = s.pieces[band];
            p.cellRow0 = cellRows[rb];
            p.cellCol0 = cellCols[cb];
            p.cellCols = cellCols[cb + 1] - p.cellCol0;
            p.cells = (cellRows[rb + 1] - p.cellRow0) * p.cellCols;
            p.targetRow0 = targetRows[2 * rb];
            p.targetCol0 = targetCols[2 * cb];
            p.targetCols = targetCols[2 * cb + 1] - p.targetCol0;
            p.targets = (targetRows[2 * rb + 1] - p.targetRow0) * p.targetCols;
            if (p.cells == 0 || p.targets == 0) {
                continue;
            }
            int firstTarget = packedTargets;
            for (int i = p.targetRow0; i < targetRows[2 * rb + 1]; i++) {
                s.targets.put(packedTargets * c, target, (i * w + p.targetCol0) * c, p.targetCols * c);
                packedTargets += p.targetCols;
            }
            int firstCell = packedCells;
            for (int f = 0; f < m; f++) {
                FloatBuffer src = recent.get(f).features();
                for (int ic = p.cellRow0; ic < cellRows[rb + 1]; ic++) {
                    s.context.put(packedCells * c, src, (ic * w + p.cellCol0) * c, p.cellCols * c);
                    packedCells += p.cellCols;
                }
            }
            p.scoreOffset = scores;
            // Transposed (cells x targets): measured faster than targets x cells for these shapes.
            Blas.dotRows(
                    s.context,
                    firstCell * c,
                    m * p.cells,
                    s.targets,
                    firstTarget * c,
                    p.targets,
                    c,
                    s.scores,
                    scores,
                    p.targets);
            scores += m * p.cells * p.targets;
        }
        keepBestInWindows(t, m, window, s);
    }

    /** Each node's k best among its window cells in the recent frames, from the pieces' scores. */
    private static void keepBestInWindows(Tile t, int m, RadiusWindow window, TileScratch s) {
        int w = t.gridW;
        int reach = window.reach();
        int[] cellCols = s.cellCols;
        Segments segments = s.segments;
        for (int i = t.i0; i < t.i1; i++) {
            for (int j = t.j0; j < t.j1; j++) {
                // The node's window, once for all frames: row by row, split where a row crosses from
                // one piece into the next; a frame further back is the same cells a fixed step on.
                segments.count = 0;
                for (int d = 0; d <= 2 * reach; d++) {
                    // Rows nearest the node first: their affinities are the highest, so the threshold
                    // rises early and fewer candidates replace one another.
                    int ic = i + ((d & 1) == 0 ? d / 2 : -(d + 1) / 2);
                    if (ic < t.r0 || ic >= t.r1) {
                        continue;
                    }
                    int rb = ic < t.i0 ? 0 : ic < t.i1 ? 1 : 2;
                    int half = window.halfWidth(ic - i);
                    int jhi = Math.min(w - 1, j + half);
                    int jc = Math.max(0, j - half);
                    for (int cb = 0; cb < 3 && jc <= jhi; cb++) {
                        int segmentEnd = Math.min(jhi, cellCols[cb + 1] - 1);
                        if (jc <= segmentEnd) {
                            Piece p = s.pieces[rb * 3 + cb];
                            segments.add(
                                    p.scoreIndex(0, ic, jc, i, j),
                                    segmentEnd - jc + 1,
                                    p.targets,
                                    p.cells * p.targets,
                                    ic * w + jc);
                            jc = segmentEnd + 1;
                        }
                    }
                }
                TopK top = s.tops[(i - t.i0) * t.width + (j - t.j0)];
                float threshold = top.threshold();
                // Most recent frame first: its affinities are the highest, so the threshold rises
                // early and fewer candidates are offered.
                for (int f = m - 1; f >= 0; f--) {
                    for (int g = 0; g < segments.count; g++) {
                        int index = segments.start[g] + f * segments.frameStep[g];
                        int stride = segments.stride[g];
                        int cell = segments.cell[g];
                        int end = cell + segments.length[g];
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
    }

    /**
     * A node's window as runs of cells that are consecutive in the grid and evenly spaced in the
     * scores: where each starts in the oldest recent frame, its length, the spacing, the step to the
     * same run one frame on, and the grid node of its first cell.
     */
    private static final class Segments {
        int count;
        int[] start = new int[16];
        int[] length = new int[16];
        int[] stride = new int[16];
        int[] frameStep = new int[16];
        int[] cell = new int[16];

        void add(int start, int length, int stride, int frameStep, int cell) {
            if (count == this.start.length) {
                int grown = 2 * count;
                this.start = java.util.Arrays.copyOf(this.start, grown);
                this.length = java.util.Arrays.copyOf(this.length, grown);
                this.stride = java.util.Arrays.copyOf(this.stride, grown);
                this.frameStep = java.util.Arrays.copyOf(this.frameStep, grown);
                this.cell = java.util.Arrays.copyOf(this.cell, grown);
            }
            this.start[count] = start;
            this.length[count] = length;
            this.stride[count] = stride;
            this.frameStep[count] = frameStep;
            this.cell[count] = cell;
            count++;
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
        final Piece[] pieces = new Piece[9];
        final Segments segments = new Segments();
        /** Column bounds of the current tile's bands: left of, level with, right of the tile. */
        final int[] cellCols = new int[4];

        TileScratch(int channels, int contextNodes, int k) {
            int tileNodes = TILE * TILE;
            // Each piece packs its own targets: at most every target nine times (when the reach is
            // longer than the tile).
            targets = Blas.scratch(1, 9L * tileNodes * channels);
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = new Piece();
            }
            context = Blas.scratch(2, (long) Math.max(1, contextNodes) * channels);
            scores = Blas.scratch(3, (long) tileNodes * Math.max(1, contextNodes));
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
