package dev.cycletrack.core.metrics;

/**
 * The official DAVIS per-frame measures (davis2017-evaluation {@code db_eval_iou} and {@code
 * db_eval_boundary}, SPEC 4.1) on binary masks given as row-major {@code boolean[]} of {@code width x
 * height} pixels. Results are exact: J and F come from integer pixel counts, divided in the same
 * order as the reference.
 */
public final class DavisMetrics {

    /** The toolkit's default boundary tolerance, as a fraction of the image diagonal. */
    public static final double BOUND_TH = 0.008;

    private DavisMetrics() {}

    /** Precision, recall and F of the boundary measure. */
    public record BoundaryScore(double precision, double recall, double f) {}

    /** J = |gt ∩ pred| / |gt ∪ pred|, and 1 when the union is empty (both masks empty). */
    public static double jaccard(boolean[] gt, boolean[] pred) {
        requireSameLength(gt, pred);
        long inter = 0;
        long union = 0;
        for (int i = 0; i < gt.length; i++) {
            if (gt[i] & pred[i]) {
                inter++;
            }
            if (gt[i] | pred[i]) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) inter / (double) union;
    }

    /** The boundary F measure with the default tolerance {@link #boundaryRadius(int, int)}. */
    public static double fMeasure(boolean[] gt, boolean[] pred, int width, int height) {
        return boundaryScore(gt, pred, width, height, boundaryRadius(width, height))
                .f();
    }

    /** Boundary precision, recall and F with the default tolerance. */
    public static BoundaryScore boundaryScore(boolean[] gt, boolean[] pred, int width, int height) {
        return boundaryScore(gt, pred, width, height, boundaryRadius(width, height));
    }

    /**
     * Boundary precision, recall and F with a tolerance disk of radius {@code boundPix}. The empty
     * cases follow the reference: they depend on the boundary maps, so a full mask (empty boundary)
     * counts as empty here.
     */
    public static BoundaryScore boundaryScore(boolean[] gt, boolean[] pred, int width, int height, int boundPix) {
        requireSize(gt, width, height, "ground-truth mask");
        requireSize(pred, width, height, "predicted mask");
        if (boundPix < 0) {
            throw new IllegalArgumentException("boundary radius must be >= 0, got " + boundPix);
        }
        boolean[] predBoundary = boundary(pred, width, height);
        boolean[] gtBoundary = boundary(gt, width, height);
        int nPred = count(predBoundary);
        int nGt = count(gtBoundary);
        double precision;
        double recall;
        if (nPred == 0 && nGt > 0) {
            precision = 1;
            recall = 0;
        } else if (nPred > 0 && nGt == 0) {
            precision = 0;
            recall = 1;
        } else if (nPred == 0) {
            precision = 1;
            recall = 1;
        } else {
            DiskCover predCover = new DiskCover(predBoundary, width, height, boundPix);
            DiskCover gtCover = new DiskCover(gtBoundary, width, height, boundPix);
            precision = (double) gtCover.countCovered(predBoundary) / (double) nPred;
            recall = (double) predCover.countCovered(gtBoundary) / (double) nGt;
        }
        // Same operation order as the reference: 2 * P * R / (P + R).
        double f = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BoundaryScore(precision, recall, f);
    }

    /** Tolerance radius ceil(0.008 * image diagonal): 8 at 854x480. */
    public static int boundaryRadius(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
        }
        return (int) Math.ceil(BOUND_TH * Math.sqrt((double) width * width + (double) height * height));
    }

    /**
     * The reference {@code seg2bmap}: b = (m xor east) or (m xor south) or (m xor south-east), with
     * neighbours outside the image 0; then the last row is overwritten with m xor east, the last
     * column with m xor south, and the bottom-right pixel with 0. A full mask has no boundary.
     */
    public static boolean[] boundary(boolean[] mask, int width, int height) {
        requireSize(mask, width, height, "mask");
        boolean[] b = new boolean[mask.length];
        int lastRow = height - 1;
        int lastCol = width - 1;
        for (int y = 0; y < lastRow; y++) {
            int row = y * width;
            for (int x = 0; x < lastCol; x++) {
                int i = row + x;
                boolean s = mask[i];
                b[i] = (s ^ mask[i + 1]) | (s ^ mask[i + width]) | (s ^ mask[i + width + 1]);
            }
            int i = row + lastCol;
            b[i] = mask[i] ^ mask[i + width];
        }
        int row = lastRow * width;
        for (int x = 0; x < lastCol; x++) {
            b[row + x] = mask[row + x] ^ mask[row + x + 1];
        }
        b[row + lastCol] = false;
        return b;
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean v : mask) {
            if (v) {
                n++;
            }
        }
        return n;
    }

    private static void requireSameLength(boolean[] gt, boolean[] pred) {
        if (gt.length != pred.length) {
            throw new IllegalArgumentException(
                    "ground-truth and predicted masks differ in size: " + gt.length + " vs " + pred.length + " pixels");
        }
    }

    static void requireSize(boolean[] mask, int width, int height, String what) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
        }
        if (mask.length != (long) width * height) {
            throw new IllegalArgumentException(what + " has " + mask.length + " pixels, expected " + width + "x"
                    + height + " = " + (long) width * height);
        }
    }
}
