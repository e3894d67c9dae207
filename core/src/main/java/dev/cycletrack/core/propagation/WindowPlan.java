package dev.cycletrack.core.propagation;

import java.util.Arrays;

/**
 * The geometry of the window pass of {@link WindowedPropagator} for one grid, context length and radius:
 * the tiles of target nodes, the nine {@link Piece}s each tile's context rectangle is cut into, where
 * every score lands, and each node's window as runs of scores. It depends on nothing a frame brings, so
 * a video builds it once and every frame reuses it. Immutable.
 */
final class WindowPlan {

    /** What a plan is built for. */
    record Key(int height, int width, int contextLength, double radius, int tile) {}

    private final Key key;
    private final Tile[] tiles;
    private final int maxScores;

    private WindowPlan(Key key) {
        this.key = key;
        RadiusWindow window = new RadiusWindow(key.radius());
        int tilesY = (key.height() + key.tile() - 1) / key.tile();
        int tilesX = (key.width() + key.tile() - 1) / key.tile();
        tiles = new Tile[tilesY * tilesX];
        int most = 0;
        for (int index = 0; index < tiles.length; index++) {
            tiles[index] = new Tile(index, tilesX, key, window);
            most = Math.max(most, tiles[index].scores);
        }
        maxScores = most;
    }

    static WindowPlan of(Key key) {
        return new WindowPlan(key);
    }

    Key key() {
        return key;
    }

    Tile[] tiles() {
        return tiles;
    }

    /** Scores of the largest tile: the size of a worker's score buffer. */
    int maxScores() {
        return maxScores;
    }

    /**
     * One of the nine parts of a tile's window product: the context cells in one row band and one
     * column band of the tile's rectangle (above, level with, below; left of, level with, right of the
     * tile), against only the tile's targets whose windows reach those bands. Cells above the tile, for
     * example, are seen only by the target rows within the window's reach of the tile's top. Its scores
     * are a (recent frames x cells) x targets block from {@code scoreOffset} on.
     */
    record Piece(
            int cellRow0,
            int cellRow1,
            int cellCol0,
            int cellCol1,
            int targetRow0,
            int targetRow1,
            int targetCol0,
            int targetCol1,
            int scoreOffset) {

        int cellCols() {
            return cellCol1 - cellCol0;
        }

        int cells() {
            return (cellRow1 - cellRow0) * cellCols();
        }

        int targetCols() {
            return targetCol1 - targetCol0;
        }

        int targets() {
            return (targetRow1 - targetRow0) * targetCols();
        }

        boolean isEmpty() {
            return cells() == 0 || targets() == 0;
        }

        /** Where the score of cell (cellRow, cellCol) in recent frame {@code f} for target (i, j) lies. */
        int scoreIndex(int f, int cellRow, int cellCol, int i, int j) {
            int cell = f * cells() + (cellRow - cellRow0) * cellCols() + cellCol - cellCol0;
            return scoreOffset + cell * targets() + (i - targetRow0) * targetCols() + j - targetCol0;
        }
    }

    /**
     * A square of target nodes [i0, i1) x [j0, j1), its pieces, and each node's window as runs of
     * cells that are consecutive in a grid row and evenly spaced in the scores. Node {@code local}'s runs
     * are {@code runs[runStart[local]] .. runs[runStart[local + 1]]}: where each starts in the oldest
     * recent frame, its length, the spacing, the step to the same run one frame on, and the grid node of
     * its first cell.
     */
    static final class Tile {
        final int i0;
        final int j0;
        final int i1;
        final int j1;
        final int width;
        final int nodes;
        final int gridW;
        final Piece[] pieces = new Piece[9];
        /** Scores of all pieces, in floats. */
        final int scores;

        final int[] runStart;
        final int[] runScore;
        final int[] runLength;
        final int[] runStride;
        final int[] runFrameStep;
        final int[] runCell;

        private Tile(int index, int tilesX, Key key, RadiusWindow window) {
            int h = key.height();
            int w = key.width();
            int size = key.tile();
            int reach = window.reach();
            i0 = (index / tilesX) * size;
            j0 = (index % tilesX) * size;
            i1 = Math.min(h, i0 + size);
            j1 = Math.min(w, j0 + size);
            width = j1 - j0;
            nodes = (i1 - i0) * width;
            gridW = w;
            int[] cellRows = {Math.max(0, i0 - reach), i0, i1, Math.min(h, i1 + reach)};
            int[] cellCols = {Math.max(0, j0 - reach), j0, j1, Math.min(w, j1 + reach)};
            int[] targetRows = {i0, Math.min(i1, i0 + reach), i0, i1, Math.max(i0, i1 - reach), i1};
            int[] targetCols = {j0, Math.min(j1, j0 + reach), j0, j1, Math.max(j0, j1 - reach), j1};
            int offset = 0;
            for (int band = 0; band < 9; band++) {
                int rb = band / 3;
                int cb = band % 3;
                Piece p = new Piece(
                        cellRows[rb],
                        cellRows[rb + 1],
                        cellCols[cb],
                        cellCols[cb + 1],
                        targetRows[2 * rb],
                        targetRows[2 * rb + 1],
                        targetCols[2 * cb],
                        targetCols[2 * cb + 1],
                        offset);
                pieces[band] = p;
                if (!p.isEmpty()) {
                    offset += key.contextLength() * p.cells() * p.targets();
                }
            }
            scores = offset;

            Runs runs = new Runs();
            runStart = new int[nodes + 1];
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    runStart[(i - i0) * width + (j - j0)] = runs.count;
                    addWindow(runs, i, j, window, cellRows, cellCols);
                }
            }
            runStart[nodes] = runs.count;
            runScore = runs.trimmed(runs.score);
            runLength = runs.trimmed(runs.length);
            runStride = runs.trimmed(runs.stride);
            runFrameStep = runs.trimmed(runs.frameStep);
            runCell = runs.trimmed(runs.cell);
        }

        /**
         * Node (i, j)'s window, row by row, nearest rows first (their affinities are the highest, so the
         * threshold rises early and fewer candidates replace one another), each row split where it
         * crosses from one piece into the next.
         */
        private void addWindow(Runs runs, int i, int j, RadiusWindow window, int[] cellRows, int[] cellCols) {
            int reach = window.reach();
            for (int d = 0; d <= 2 * reach; d++) {
                int ic = i + ((d & 1) == 0 ? d / 2 : -(d + 1) / 2);
                if (ic < cellRows[0] || ic >= cellRows[3]) {
                    continue;
                }
                int rb = ic < i0 ? 0 : ic < i1 ? 1 : 2;
                int half = window.halfWidth(ic - i);
                int jhi = Math.min(gridW - 1, j + half);
                int jc = Math.max(0, j - half);
                for (int cb = 0; cb < 3 && jc <= jhi; cb++) {
                    int end = Math.min(jhi, cellCols[cb + 1] - 1);
                    if (jc <= end) {
                        Piece p = pieces[rb * 3 + cb];
                        runs.add(
                                p.scoreIndex(0, ic, jc, i, j),
                                end - jc + 1,
                                p.targets(),
                                p.cells() * p.targets(),
                                ic * gridW + jc);
                        jc = end + 1;
                    }
                }
            }
        }

        /** Grid node of the tile's {@code local}-th node (row-major inside the tile). */
        int node(int local) {
            return (i0 + local / width) * gridW + j0 + local % width;
        }
    }

    /** Growable columns of runs while a tile is planned. */
    private static final class Runs {
        int count;
        int[] score = new int[64];
        int[] length = new int[64];
        int[] stride = new int[64];
        int[] frameStep = new int[64];
        int[] cell = new int[64];

        void add(int score, int length, int stride, int frameStep, int cell) {
            if (count == this.score.length) {
                int grown = 2 * count;
                this.score = Arrays.copyOf(this.score, grown);
                this.length = Arrays.copyOf(this.length, grown);
                this.stride = Arrays.copyOf(this.stride, grown);
                this.frameStep = Arrays.copyOf(this.frameStep, grown);
                this.cell = Arrays.copyOf(this.cell, grown);
            }
            this.score[count] = score;
            this.length[count] = length;
            this.stride[count] = stride;
            this.frameStep[count] = frameStep;
            this.cell[count] = cell;
            count++;
        }

        int[] trimmed(int[] column) {
            return Arrays.copyOf(column, count);
        }
    }
}
