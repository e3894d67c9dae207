package dev.cycletrack.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it (never a fixed sleep): fails with what was awaited and the state seen last. */
public final class Poll {

    private Poll() {}

    public static void until(String what, Duration timeout, BooleanSupplier done) {
        until(what, timeout, done, () -> "");
    }

    public static void until(String what, Duration timeout, BooleanSupplier done, Supplier<String> state) {
        long end = System.nanoTime() + timeout.toNanos();
        long pause = 10;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (state == null ? "" : ": " + state.get()));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(200, pause * 2);
        }
    }
}
