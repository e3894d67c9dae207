package dev.cycletrack.core.metrics;

/**
 * Scores of one object of one sequence: per scored frame J and F (index k is the k-th scored frame,
 * i.e. annotated frame k+1) and their statistics. {@code name} is {@code <sequence>_<id>}, as the
 * official toolkit prints it.
 */
public record DavisObjectScore(
        String name, int objectId, double[] j, double[] f, DavisStatistics jStats, DavisStatistics fStats) {

    static DavisObjectScore of(String sequence, int objectId, double[] j, double[] f) {
        return new DavisObjectScore(
                sequence + "_" + objectId, objectId, j, f, DavisStatistics.of(j), DavisStatistics.of(f));
    }
}
