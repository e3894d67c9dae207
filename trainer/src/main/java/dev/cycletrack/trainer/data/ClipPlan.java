package dev.cycletrack.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which clip comes when: epoch e draws, for every video, up to {@code clipsPerVideo} distinct random
 * start frames (a new subset every epoch, SPEC 3.1), and shuffles all of them. The plan is a pure
 * function of (seed, epoch), so the data position of any global clip number is known without replaying
 * the run: that is what makes resume exact.
 */
public final class ClipPlan {

    /** One clip: video index and first (resampled) frame; the clip is frames start .. start+T-1. */
    public record ClipRef(int video, int start) {}

    private final int[] startsPerVideo;
    private final int clipsPerVideo;
    private final long seed;
    private final int epochSize;
    private int cachedEpoch = -1;
    private List<ClipRef> cached;

    /**
     * @param frameCounts resampled frames per video
     * @param clipLength T
     */
    public ClipPlan(int[] frameCounts, int clipLength, int clipsPerVideo, long seed) {
        this.startsPerVideo = new int[frameCounts.length];
        int size = 0;
        for (int v = 0; v < frameCounts.length; v++) {
            startsPerVideo[v] = Math.max(0, frameCounts[v] - clipLength + 1);
            size += Math.min(clipsPerVideo, startsPerVideo[v]);
        }
        if (size == 0) {
            throw new IllegalArgumentException("no video has " + clipLength + " frames");
        }
        this.clipsPerVideo = clipsPerVideo;
        this.seed = seed;
        this.epochSize = size;
    }

    /** Clips per epoch. */
    public int epochSize() {
        return epochSize;
    }

    /** Epoch of global clip number {@code clip} (0-based). */
    public long epochOf(long clip) {
        return clip / epochSize;
    }

    /** Position of global clip number {@code clip} inside its epoch. */
    public int positionOf(long clip) {
        return (int) (clip % epochSize);
    }

    /** The clip with global number {@code clip}. */
    public synchronized ClipRef clip(long clip) {
        int epoch = Math.toIntExact(epochOf(clip));
        if (epoch != cachedEpoch) {
            cached = epoch(epoch);
            cachedEpoch = epoch;
        }
        return cached.get(positionOf(clip));
    }

    /** The whole (shuffled) list of epoch {@code e}. */
    public List<ClipRef> epoch(int e) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x45504f43L, e));
        List<ClipRef> list = new ArrayList<>(epochSize);
        for (int v = 0; v < startsPerVideo.length; v++) {
            int n = startsPerVideo[v];
            int take = Math.min(clipsPerVideo, n);
            // Partial Fisher-Yates over 0..n-1: the first `take` entries are a uniform subset.
            int[] pool = new int[n];
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            for (int i = 0; i < take; i++) {
                int j = i + rng.nextInt(n - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
                list.add(new ClipRef(v, pool[i]));
            }
        }
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            ClipRef t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
        return list;
    }
}
