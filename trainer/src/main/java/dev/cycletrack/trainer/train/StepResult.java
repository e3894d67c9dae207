package dev.cycletrack.trainer.train;

import java.util.List;

/**
 * What one optimiser step did.
 *
 * @param step the step number (0-based) that was run
 * @param loss mean cycle loss
 * @param accuracy cycle accuracy (masked fraction of rows returning to their start node)
 * @param chance the accuracy of random features, 1/P
 * @param cycleLosses L(s) per cycle
 * @param maskFraction mean of the warp mask
 * @param lr learning rate used
 * @param edgeDropout edge dropout used
 * @param cropScaleMin track-crop scale low end used (the curriculum)
 * @param seconds wall time of the step (data wait excluded)
 * @param clips clips in the batch
 * @param skipped true when the loss was not finite and no update was made
 */
public record StepResult(
        long step,
        double loss,
        double accuracy,
        double chance,
        List<Double> cycleLosses,
        double maskFraction,
        double lr,
        double edgeDropout,
        double cropScaleMin,
        double seconds,
        int clips,
        boolean skipped) {}
