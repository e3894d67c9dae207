package dev.cycletrack.core.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Comparisons with baselines-dev.json, whose detail values are rounded to 3 decimals. */
final class Reference {

    private Reference() {}

    /** Asserts that {@code actual}, rounded to 3 decimals as Python's round() does, is {@code expected}. */
    static void assertRounds(double expected, double actual, String what) {
        double rounded =
                new BigDecimal(actual).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
        assertEquals(expected, rounded, 0.0, what + ": " + actual + " does not round to " + expected);
    }

    /** DAVIS J of one binary frame: |P and G| / |P or G|, 1 when both are empty. */
    static double iou(int[] pred, int[] gt) {
        long inter = 0;
        long union = 0;
        for (int i = 0; i < pred.length; i++) {
            boolean p = pred[i] != 0;
            boolean g = gt[i] != 0;
            if (p && g) {
                inter++;
            }
            if (p || g) {
                union++;
            }
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }
}
