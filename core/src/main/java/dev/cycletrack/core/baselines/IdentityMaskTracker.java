package dev.cycletrack.core.baselines;

import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.LabelMap;

/** The trivial baseline: every later frame gets the seed labels unchanged. */
public final class IdentityMaskTracker implements MaskTracker {

    private LabelMap seed;

    @Override
    public void init(GrayImage seedFrame, LabelMap seedLabels) {
        seed = new LabelMap(
                seedLabels.width(), seedLabels.height(), seedLabels.ids().clone());
    }

    @Override
    public LabelMap step(GrayImage frame) {
        if (seed == null) {
            throw new IllegalStateException("init must be called before step");
        }
        return new LabelMap(seed.width(), seed.height(), seed.ids().clone());
    }
}
