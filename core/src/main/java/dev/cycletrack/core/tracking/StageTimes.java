package dev.cycletrack.core.tracking;

/** Nanoseconds spent on one frame: resize + encode, propagate, decode. */
public record StageTimes(long encodeNanos, long propagateNanos, long decodeNanos) {

    public static final StageTimes NONE = new StageTimes(0, 0, 0);

    public long totalNanos() {
        return encodeNanos + propagateNanos + decodeNanos;
    }
}
