package dev.cycletrack.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a condition by polling it (Awaitility): fails with what was awaited and the state seen last. */
public final class Poll {

    private Poll() {}

    public static void until(String what, Duration timeout, BooleanSupplier done) {
        until(what, timeout, done, () -> "");
    }

    public static void until(String what, Duration timeout, BooleanSupplier done, Supplier<String> state) {
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(done::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "timed out after " + timeout.toSeconds() + " s waiting for " + what
                            + (state == null ? "" : ": " + state.get()),
                    e);
        }
    }
}
