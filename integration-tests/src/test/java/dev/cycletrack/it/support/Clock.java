package dev.cycletrack.it.support;

import java.time.Instant;

/** Wall-clock microseconds, the unit of the capture and emit times in the records. */
public final class Clock {

    private Clock() {}

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
