package dev.cycletrack.core.encoder;

/** The h x w size of a feature grid. */
public record GridSize(int height, int width) {

    public GridSize {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("grid size must be positive: " + height + "x" + width);
        }
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
