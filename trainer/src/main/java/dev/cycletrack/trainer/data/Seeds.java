package dev.cycletrack.trainer.data;

/**
 * Counter-based seeding: every random draw of a run derives from (run seed, purpose, counter) through a
 * strong 64-bit mix, so any step or clip can be regenerated on its own. A checkpoint therefore needs only
 * the step number to restore the random state exactly.
 */
public final class Seeds {

    private Seeds() {}

    /** SplitMix64's finaliser. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for (seed, purpose, counter). */
    public static long mix(long seed, long purpose, long counter) {
        return mix64(mix64(mix64(seed) ^ purpose) + counter * 0x9E3779B97F4A7C15L);
    }
}
