package dev.cycletrack.core.metrics;

/**
 * How a normalised distance is compared with alpha. The specs say inclusive (<=); the WLDO and PIPs
 * BADJA code is strict (<). They differ only for a distance exactly on the threshold.
 */
public enum PckThreshold {
    STRICT,
    INCLUSIVE;

    public boolean hit(double normalisedDistance, double alpha) {
        return this == STRICT ? normalisedDistance < alpha : normalisedDistance <= alpha;
    }
}
