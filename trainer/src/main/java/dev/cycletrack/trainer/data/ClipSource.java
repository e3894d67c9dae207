package dev.cycletrack.trainer.data;

import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.trainer.train.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of augmented clips, as a pure function of the step number: batch k holds global clips k*B ..
 * k*B+B-1 of the {@link ClipPlan}, each augmented from its own random stream. Real mode takes T
 * consecutive resampled frames of a video; synthetic mode (SPEC 3.3b item 1) takes one frame and
 * translates a window over it by a constant random shift per frame.
 */
public final class ClipSource {

    private static final long CLIP_STREAM = 0x434c4950L;

    /** A batch: {@code B x 2T x 3 x S x S} normalised pixels and the samples (crops, Theta). */
    public record Batch(long step, float[] pixels, List<ClipSample> samples, long epoch, int position) {
        public int size() {
            return samples.size();
        }
    }

    private final VideoLibrary library;
    private final TrainConfig config;
    private final ClipPlan plan;
    private final ClipAugmenter augmenter;

    public ClipSource(VideoLibrary library, TrainConfig config) {
        this.library = library;
        this.config = config;
        int[] counts = new int[library.videos().size()];
        for (int v = 0; v < counts.length; v++) {
            counts[v] = library.videos().get(v).frameCount();
        }
        // Synthetic clips need one frame per clip; real clips need T consecutive frames.
        this.plan = new ClipPlan(counts, config.synthetic ? 1 : config.clipLength, config.clipsPerVideo, config.seed);
        this.augmenter = new ClipAugmenter(config);
    }

    public ClipPlan plan() {
        return plan;
    }

    public VideoLibrary library() {
        return library;
    }

    public ClipAugmenter augmenter() {
        return augmenter;
    }

    /** The batch of optimiser step {@code step} (0-based). */
    public Batch batch(long step) {
        int b = config.batchSize;
        int t = config.clipLength;
        int s = config.cropSize;
        int clipFloats = 2 * t * 3 * s * s;
        float[] pixels = new float[b * clipFloats];
        List<ClipSample> samples = new ArrayList<>(b);
        long first = step * b;
        for (int i = 0; i < b; i++) {
            ClipSample sample = clip(first + i, step);
            System.arraycopy(sample.pixels(), 0, pixels, i * clipFloats, clipFloats);
            samples.add(sample);
        }
        return new Batch(step, pixels, samples, plan.epochOf(first), plan.positionOf(first));
    }

    /** Global clip number {@code clip}, augmented for {@code step}. */
    public ClipSample clip(long clip, long step) {
        ClipPlan.ClipRef ref = plan.clip(clip);
        VideoLibrary.Video video = library.videos().get(ref.video());
        SplittableRandom rng = new SplittableRandom(Seeds.mix(config.seed, CLIP_STREAM, clip));
        String source = video.file().getFileName() + "@" + ref.start();
        if (config.synthetic) {
            List<RgbImage> frames = translated(video.frames().get(ref.start()), rng);
            return augmenter.augmentSquare(frames, rng, step, source + " (synthetic)");
        }
        List<RgbImage> frames = video.frames().subList(ref.start(), ref.start() + config.clipLength);
        return augmenter.augment(frames, rng, step, source);
    }

    /**
     * T square windows over one frame, window t offset by t * (dx, dy) with dx, dy uniform integers in
     * [-shift, shift] (in crop pixels), each resized to S x S.
     */
    List<RgbImage> translated(RgbImage frame, SplittableRandom rng) {
        int s = config.cropSize;
        int t = config.clipLength;
        int side = Math.min(frame.width(), frame.height());
        double scale = side / (double) s; // source pixels per crop pixel when the window is the full side
        int shift = config.syntheticShift;
        int dx = shift == 0 ? 0 : rng.nextInt(2 * shift + 1) - shift;
        int dy = shift == 0 ? 0 : rng.nextInt(2 * shift + 1) - shift;
        int travelX = (int) Math.ceil(Math.abs(dx) * (t - 1) * scale);
        int travelY = (int) Math.ceil(Math.abs(dy) * (t - 1) * scale);
        int window = Math.max(8, side - Math.max(travelX, travelY));
        double pxPerCrop = window / (double) s;
        int spanX = (int) Math.round(Math.abs(dx) * (t - 1) * pxPerCrop);
        int spanY = (int) Math.round(Math.abs(dy) * (t - 1) * pxPerCrop);
        int roomX = Math.max(0, frame.width() - window - spanX);
        int roomY = Math.max(0, frame.height() - window - spanY);
        int x0 = rng.nextInt(roomX + 1) + (dx < 0 ? spanX : 0);
        int y0 = rng.nextInt(roomY + 1) + (dy < 0 ? spanY : 0);
        List<RgbImage> out = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            int x = clamp(x0 + (int) Math.round(i * dx * pxPerCrop), 0, frame.width() - window);
            int y = clamp(y0 + (int) Math.round(i * dy * pxPerCrop), 0, frame.height() - window);
            out.add(ImageOps.resize(ImageOps.crop(frame, x, y, window, window), s, s));
        }
        return out;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
