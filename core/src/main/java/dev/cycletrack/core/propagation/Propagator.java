package dev.cycletrack.core.propagation;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Computes the soft labels of a target frame from its context (SPEC 2): frame 0 (never
 * radius-restricted) plus the recent frames, oldest first (restricted to the radius).
 */
public interface Propagator {

    /**
     * @param longTerm frame 0 with its labels
     * @param recent the m recent context frames, oldest first (early on, copies of frame 0)
     * @param target the target frame's features, node-major, same grid and channels as frame 0
     * @return the target's soft labels, node-major, same channels as the context labels
     */
    float[] propagate(ContextFrame longTerm, List<ContextFrame> recent, FloatBuffer target, PropagationParams p);

    /** The fast path: affinities only for frame 0 and the radius windows of recent frames. */
    static Propagator windowed() {
        return new WindowedPropagator();
    }

    /** Which kernel the windowed path's window pass runs on here, and why, for logs and benchmarks. */
    static String describeWindowed() {
        return WindowedPropagator.describeWindowPass();
    }

    /** The reference path: every affinity, masked afterwards. For tests and benchmarks. */
    static Propagator dense() {
        return new DensePropagator();
    }
}
