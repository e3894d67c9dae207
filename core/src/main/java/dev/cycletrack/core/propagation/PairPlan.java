package dev.cycletrack.core.propagation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geometry of the window pass on {@link SimdDots}, for one grid and radius: target nodes taken in
 * pairs of row neighbours, each pair with the union of its two windows (nearest cells first, so that a
 * node's threshold rises early) padded to a multiple of 4, and which of the two targets sees each cell.
 * A pair's windows overlap but for one column, so computing both targets against the union costs about
 * 1.15 times the strictly needed products (pose setting), against 2 for the tiles' pieces. Immutable.
 */
final class PairPlan {

    /** What a plan is built for. */
    record Key(int height, int width, double radius) {}

    /** Bit of {@link #flags} set when the pair's first target sees the cell. */
    static final byte FIRST = 1;

    /** Bit of {@link #flags} set when the pair's second target sees the cell. */
    static final byte SECOND = 2;

    private final int[] first;
    private final int[] second;
    private final int[] cellStart;
    private final int[] cells;
    private final byte[] flags;
    private final int maxCells;

    private PairPlan(Key key) {
        int h = key.height();
        int w = key.width();
        RadiusWindow window = new RadiusWindow(key.radius());
        int perRow = (w + 1) / 2;
        int pairs = h * perRow;
        first = new int[pairs];
        second = new int[pairs];
        cellStart = new int[pairs + 1];
        List<int[]> lists = new ArrayList<>(pairs);
        int total = 0;
        int most = 0;
        for (int p = 0; p < pairs; p++) {
            int y = p / perRow;
            int x = 2 * (p % perRow);
            first[p] = y * w + x;
            second[p] = x + 1 < w ? first[p] + 1 : first[p];
            int[] list = unionCells(y, x, second[p] != first[p], h, w, window);
            lists.add(list);
            cellStart[p] = total;
            total += list.length / 2;
            most = Math.max(most, list.length / 2);
        }
        cellStart[pairs] = total;
        cells = new int[total];
        flags = new byte[total];
        for (int p = 0; p < pairs; p++) {
            int[] list = lists.get(p);
            for (int i = 0; i < list.length / 2; i++) {
                cells[cellStart[p] + i] = list[2 * i];
                flags[cellStart[p] + i] = (byte) list[2 * i + 1];
            }
        }
        maxCells = most;
    }

    static PairPlan of(Key key) {
        return new PairPlan(key);
    }

    /**
     * Cells of the two windows of targets (y, x) and (y, x + 1) (or of (y, x) alone), as (cell, flags)
     * pairs, nearest first, padded with flag-less copies of the last cell to a multiple of 4.
     */
    private static int[] unionCells(int y, int x, boolean paired, int h, int w, RadiusWindow window) {
        int reach = window.reach();
        List<int[]> found = new ArrayList<>(); // {cell, flags, distance^2}
        for (int cy = Math.max(0, y - reach); cy <= Math.min(h - 1, y + reach); cy++) {
            for (int cx = Math.max(0, x - reach); cx <= Math.min(w - 1, x + 1 + reach); cx++) {
                int dy = cy - y;
                int flag = (window.contains(dy, cx - x) ? FIRST : 0)
                        | (paired && window.contains(dy, cx - x - 1) ? SECOND : 0);
                if (flag != 0) {
                    int dx = paired ? Math.min(Math.abs(cx - x), Math.abs(cx - x - 1)) : Math.abs(cx - x);
                    found.add(new int[] {cy * w + cx, flag, dy * dy + dx * dx});
                }
            }
        }
        found.sort(Comparator.<int[]>comparingInt(e -> e[2]).thenComparingInt(e -> e[0]));
        int padded = (found.size() + 3) / 4 * 4;
        int[] out = new int[2 * padded];
        for (int i = 0; i < padded; i++) {
            int[] e = found.get(Math.min(i, found.size() - 1));
            out[2 * i] = e[0];
            out[2 * i + 1] = i < found.size() ? e[1] : 0;
        }
        return out;
    }

    int pairs() {
        return first.length;
    }

    /** Target node of pair p's first member. */
    int first(int p) {
        return first[p];
    }

    /** Target node of pair p's second member; equal to {@link #first} for a row's last odd node. */
    int second(int p) {
        return second[p];
    }

    /** Whether pair p has two distinct targets. */
    boolean paired(int p) {
        return second[p] != first[p];
    }

    /** Start of pair p's cells in {@link #cells()} and {@link #flags()}; p + 1's start is its end. */
    int cellStart(int p) {
        return cellStart[p];
    }

    /** Every pair's cells, back to back (shared, not copied: callers only read it). */
    int[] cells() {
        return cells;
    }

    /** {@link #FIRST} / {@link #SECOND} bits of every entry of {@link #cells()} (shared, read only). */
    byte[] flags() {
        return flags;
    }

    /** Cells of the largest pair: the size of a worker's score buffer (times 2). */
    int maxCells() {
        return maxCells;
    }
}
