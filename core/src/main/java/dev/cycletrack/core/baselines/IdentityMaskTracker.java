package dev.cycletrack.core.baselines;

import dev.cycletrack.core.image.GrayImage;
import dev.cycletrack.core.image.IdMap;

/** The trivial baseline: every later frame gets the seed labels unchanged. */
public final class IdentityMaskTracker implements MaskTracker {

    private IdMap seed;

    @Override
    public void init(GrayImage seedFrame, IdMap seedLabels) {
        seed = new IdMap(
                seedLabels.width(), seedLabels.height(), seedLabels.ids().clone());
    }

    @Override
    public IdMap step(GrayImage frame) {
        if (seed == null) {
            throw new IllegalStateException("init must be called before step");
        }
        return new IdMap(seed.width(), seed.height(), seed.ids().clone());
    }
}
