package dev.cycletrack.trainer.data;

import dev.cycletrack.core.encoder.InputNormalization;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.trainer.geometry.Affine;
import dev.cycletrack.trainer.geometry.TrackCrop;
import dev.cycletrack.trainer.train.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The per-clip pipeline of SPEC 3.1, in order: (1) a per-frame random resized pre-crop to S x S, (2)
 * colour augmentation drawn independently for every frame and track (recipe A on the forward track in
 * time order, recipe B on the backward track in reverse order), (3) one track-level random resized crop
 * and flip per track (the same one for both tracks under FC3), (4) normalisation with the training
 * statistics. Every draw comes from the clip's own random stream.
 */
public final class ClipAugmenter {

    /** A colour recipe: probabilities of jitter, grayscale, blur and solarize. */
    public record ColorRecipe(double jitterP, double grayP, double blurP, double solarizeP) {}

    private final TrainConfig config;
    private final ColorRecipe forwardRecipe;
    private final ColorRecipe backwardRecipe;
    private final float[] mean;
    private final float[] std;

    public ClipAugmenter(TrainConfig config) {
        this.config = config;
        this.forwardRecipe = new ColorRecipe(
                config.forwardJitterP, config.forwardGrayP, config.forwardBlurP, config.forwardSolarizeP);
        this.backwardRecipe = new ColorRecipe(
                config.backwardJitterP, config.backwardGrayP, config.backwardBlurP, config.backwardSolarizeP);
        this.mean = InputNormalization.TRAINING.mean();
        this.std = InputNormalization.TRAINING.std();
    }

    /**
     * Builds a sample from T consecutive frames (any size; pre-cropped here).
     *
     * @param step the optimiser step (the crop curriculum depends on it)
     */
    public ClipSample augment(List<RgbImage> frames, SplittableRandom rng, long step, String source) {
        int s = config.cropSize;
        List<RgbImage> square = new ArrayList<>(frames.size());
        int[] shared = config.preCropPerClip
                ? preCropBox(frames.get(0).width(), frames.get(0).height(), rng)
                : null;
        for (RgbImage f : frames) {
            int[] box = shared != null ? shared : preCropBox(f.width(), f.height(), rng);
            square.add(ImageOps.resize(ImageOps.crop(f, box[0], box[1], box[2], box[3]), s, s));
        }
        return augmentSquare(square, rng, step, source);
    }

    /** Steps (2)-(4) on frames already S x S. */
    public ClipSample augmentSquare(List<RgbImage> square, SplittableRandom rng, long step, String source) {
        int s = config.cropSize;
        int t = square.size();
        TrackCrop fwd = TrackCrop.sample(
                rng,
                s,
                s,
                s,
                config.cropScaleMinAt(step),
                config.cropScaleMax,
                config.cropRatioMin,
                config.cropRatioMax,
                config.flipProbability);
        TrackCrop bwd = config.usesFc3()
                ? fwd
                : TrackCrop.sample(
                        rng,
                        s,
                        s,
                        s,
                        config.cropScaleMinAt(step),
                        config.cropScaleMax,
                        config.cropRatioMin,
                        config.cropRatioMax,
                        config.flipProbability);
        int plane = 3 * s * s;
        float[] pixels = new float[2 * t * plane];
        for (int i = 0; i < t; i++) {
            RgbImage coloured = color(square.get(i), forwardRecipe, rng);
            normaliseInto(fwd.apply(ImageOps.toPlanes(coloured), 3), pixels, i * plane, s);
        }
        for (int i = 0; i < t; i++) {
            RgbImage coloured = color(square.get(t - 1 - i), backwardRecipe, rng);
            normaliseInto(bwd.apply(ImageOps.toPlanes(coloured), 3), pixels, (t + i) * plane, s);
        }
        Affine theta = config.usesFc3() ? Affine.IDENTITY : Affine.samplerTheta(fwd.matrix(), bwd.matrix());
        return new ClipSample(pixels, t, s, fwd, bwd, theta, source);
    }

    private void normaliseInto(float[] planes, float[] out, int offset, int s) {
        int plane = s * s;
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                out[offset + base + i] = (planes[base + i] - m) * inv;
            }
        }
    }

    /**
     * The per-frame pre-crop: torchvision RandomResizedCrop with area fraction U(min, max), aspect w/h
     * log-uniform, w and h rounded, 10 attempts with 0 < w <= W and 0 < h <= H, else a centre crop with
     * the aspect clamped into range; resized to S x S.
     */
    public RgbImage preCrop(RgbImage frame, SplittableRandom rng) {
        int[] box = preCropBox(frame.width(), frame.height(), rng);
        return ImageOps.resize(ImageOps.crop(frame, box[0], box[1], box[2], box[3]), config.cropSize, config.cropSize);
    }

    /** The pre-crop box {x0, y0, w, h} of a width x height frame, drawn as {@link #preCrop} describes. */
    int[] preCropBox(int width, int height, SplittableRandom rng) {
        double area = (double) width * height;
        double logLo = Math.log(config.preCropRatioMin);
        double logHi = Math.log(config.preCropRatioMax);
        int w = -1;
        int h = -1;
        int x0 = 0;
        int y0 = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area
                    * (config.preCropScaleMin + (config.preCropScaleMax - config.preCropScaleMin) * rng.nextDouble());
            double aspect = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * aspect));
            int ch = (int) Math.round(Math.sqrt(target / aspect));
            if (cw > 0 && cw <= width && ch > 0 && ch <= height) {
                w = cw;
                h = ch;
                y0 = rng.nextInt(height - h + 1);
                x0 = rng.nextInt(width - w + 1);
                break;
            }
        }
        if (w < 0) {
            double inRatio = (double) width / height;
            if (inRatio < config.preCropRatioMin) {
                w = width;
                h = (int) Math.round(w / config.preCropRatioMin);
            } else if (inRatio > config.preCropRatioMax) {
                h = height;
                w = (int) Math.round(h * config.preCropRatioMax);
            } else {
                w = width;
                h = height;
            }
            h = Math.min(h, height);
            w = Math.min(w, width);
            y0 = (height - h) / 2;
            x0 = (width - w) / 2;
        }
        return new int[] {x0, y0, w, h};
    }

    /** RandomApply(ColorJitter, p) -> RandomGrayscale(p) -> blur with p -> solarize with p. */
    public RgbImage color(RgbImage img, ColorRecipe recipe, SplittableRandom rng) {
        if (config.noColorAug) {
            return img;
        }
        RgbImage out = img;
        if (rng.nextDouble() < recipe.jitterP()) {
            out = jitter(out, rng);
        }
        if (rng.nextDouble() < recipe.grayP()) {
            out = ColorOps.grayscale(out);
        }
        if (rng.nextDouble() < recipe.blurP()) {
            double[] range = config.blurSigmaRange();
            double sigma = range[0] + (range[1] - range[0]) * rng.nextDouble();
            out = ColorOps.gaussianBlur(out, sigma);
        }
        if (rng.nextDouble() < recipe.solarizeP()) {
            out = ColorOps.solarize(out);
        }
        return out;
    }

    /** Brightness, contrast, saturation and hue in a random order, factors U[max(0, 1-b), 1+b], hue U[-h, h]. */
    RgbImage jitter(RgbImage img, SplittableRandom rng) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = factor(rng, config.jitterBrightness);
        double c = factor(rng, config.jitterContrast);
        double sat = factor(rng, config.jitterSaturation);
        double hue = config.jitterHue > 0 ? (rng.nextDouble() * 2 - 1) * config.jitterHue : 0;
        RgbImage out = img;
        for (int op : order) {
            out = switch (op) {
                case 0 -> config.jitterBrightness > 0 ? ColorOps.brightness(out, b) : out;
                case 1 -> config.jitterContrast > 0 ? ColorOps.contrast(out, c) : out;
                case 2 -> config.jitterSaturation > 0 ? ColorOps.saturation(out, sat) : out;
                default -> config.jitterHue > 0 ? ColorOps.hue(out, hue) : out;
            };
        }
        return out;
    }

    private static double factor(SplittableRandom rng, double amount) {
        double lo = Math.max(0, 1 - amount);
        double hi = 1 + amount;
        return lo + (hi - lo) * rng.nextDouble();
    }
}
