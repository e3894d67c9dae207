package dev.cycletrack.core.codec;

/**
 * A keypoint in image pixels, 0-based, (x, y) = (column, row). A joint that is not visible is
 * reported as (-1, -1) with {@code visible == false}, following the CRW decode convention.
 */
public record Keypoint(double x, double y, boolean visible) {

    public static final Keypoint INVISIBLE = new Keypoint(-1, -1, false);

    public static Keypoint at(double x, double y) {
        return new Keypoint(x, y, true);
    }

    public double distanceTo(Keypoint other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
