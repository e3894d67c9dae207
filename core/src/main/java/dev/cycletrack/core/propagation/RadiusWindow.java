package dev.cycletrack.core.propagation;

/**
 * The set of grid offsets (dy, dx) with sqrt(dy^2 + dx^2) < r (strict, Euclidean): row offsets run
 * over [-reach, reach] and, for a row offset dy, column offsets over [-halfWidth(dy), halfWidth(dy)].
 */
final class RadiusWindow {

    private final int reach;
    private final int[] halfWidth;

    RadiusWindow(double radius) {
        double r2 = radius * radius;
        int reach = 0;
        while ((double) (reach + 1) * (reach + 1) < r2) {
            reach++;
        }
        this.reach = reach;
        this.halfWidth = new int[reach + 1];
        for (int dy = 0; dy <= reach; dy++) {
            int dx = 0;
            while ((double) dy * dy + (double) (dx + 1) * (dx + 1) < r2) {
                dx++;
            }
            halfWidth[dy] = dx;
        }
    }

    /** Largest |dy| (and |dx|) inside the window. */
    int reach() {
        return reach;
    }

    /** Largest |dx| inside the window on row offset dy. */
    int halfWidth(int dy) {
        return halfWidth[Math.abs(dy)];
    }

    /** Whether offset (dy, dx) lies inside the window. */
    boolean contains(int dy, int dx) {
        int ady = Math.abs(dy);
        return ady <= reach && Math.abs(dx) <= halfWidth[ady];
    }

    /** Number of offsets in the window. */
    int size() {
        int n = 0;
        for (int dy = -reach; dy <= reach; dy++) {
            n += 2 * halfWidth(dy) + 1;
        }
        return n;
    }
}
