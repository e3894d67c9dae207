package dev.cycletrack.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What a context reports holding, which the tracker publishes as its context memory. */
class PropagationContextTest {

    private static long stepThreeTimes(Propagator propagator) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] base = WindowedMatchesDenseTest.smoothBase(rnd, 4, 5, 8);
        PropagationContext ctx = PropagationContext.start(
                new PropagationParams(2, 3, 3, 0.05),
                propagator,
                WindowedMatchesDenseTest.smoothFrame(rnd, 4, 5, 8, base, 0),
                LabelMap.zeros(4, 5, 2));
        for (int t = 1; t <= 3; t++) {
            ctx.step(WindowedMatchesDenseTest.smoothFrame(rnd, 4, 5, 8, base, t));
        }
        return ctx.byteSize();
    }

    @Test
    void byteSizeCountsFeaturesAndLabelsOfEveryDistinctFrame() {
        FeatureMap probe = FeatureMap.zeros(4, 5, 8);
        long features = probe.byteSize();
        long labels = LabelMap.zeros(4, 5, 2).byteSize();
        // Frame 0 and the two recent frames.
        assertEquals(3 * (features + labels), stepThreeTimes(new WindowedPropagator(true, false)));
    }

    @Test
    void byteSizeCountsTheVectorKernelsHeapCopies() {
        Assumptions.assumeTrue(SimdSupport.enabled(), SimdSupport::unavailableReason);
        long features = FeatureMap.zeros(4, 5, 8).byteSize();
        long labels = LabelMap.zeros(4, 5, 2).byteSize();
        // Frame 0 and the older recent frame have been read by the window kernel (a heap copy each);
        // the newest frame has not yet.
        assertEquals(3 * (features + labels) + 2 * features, stepThreeTimes(new WindowedPropagator(true, true)));
    }
}
