package dev.cycletrack.trainer.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cycletrack.core.encoder.FeatureLayer;
import dev.cycletrack.core.encoder.PaddingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Every setting of a training run, with SPEC 3's reference values as defaults. The same object is the
 * command's options (a picocli mixin), the {@code --config} JSON file (field names are the keys) and the
 * record of a run in checkpoints and {@code model.json}. Values that differ from the reference are
 * noted in {@link #deviationsFromReference()}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class TrainConfig {

    // ---- data ----
    @Option(
            names = "--videos",
            split = ",",
            paramLabel = "PATH",
            description = "Training videos: files or folders (searched recursively for .mp4, .avi, .mov, .mkv, ...),"
                    + " comma-separated.")
    public List<String> videos = new ArrayList<>();

    @Option(
            names = "--fps",
            description = "Resample videos to this frame rate; 0 keeps every frame (default ${DEFAULT-VALUE}).")
    public double fps = 8;

    @Option(names = "--clip-length", description = "T, frames per clip (default ${DEFAULT-VALUE}).")
    public int clipLength = 4;

    @Option(
            names = "--clips-per-video",
            description = "Random clips drawn per video per epoch (default ${DEFAULT-VALUE}).")
    public int clipsPerVideo = 5;

    @Option(
            names = "--cache-short-side",
            description = "Decoded frames are cached in memory with this short side in pixels; 0 = the crop size"
                    + " (default ${DEFAULT-VALUE}).")
    public int cacheShortSide = 0;

    @Option(
            names = "--max-frames-per-video",
            description = "Decode at most this many resampled frames per video; 0 = all (default ${DEFAULT-VALUE}).")
    public int maxFramesPerVideo = 0;

    // ---- geometry ----
    @Option(names = "--crop-size", description = "S: training crops are S x S pixels (default ${DEFAULT-VALUE}).")
    public int cropSize = 256;

    @Option(
            names = "--precrop-scale-min",
            description = "Per-frame pre-crop area fraction, low end (default ${DEFAULT-VALUE}).")
    public double preCropScaleMin = 0.8;

    @Option(
            names = "--precrop-scale-max",
            description = "Per-frame pre-crop area fraction, high end (default ${DEFAULT-VALUE}).")
    public double preCropScaleMax = 0.95;

    @Option(
            names = "--precrop-ratio-min",
            description = "Per-frame pre-crop aspect w/h, low end (default ${DEFAULT-VALUE}).")
    public double preCropRatioMin = 0.7;

    @Option(
            names = "--precrop-ratio-max",
            description = "Per-frame pre-crop aspect w/h, high end (default ${DEFAULT-VALUE}).")
    public double preCropRatioMax = 1.3;

    @Option(
            names = "--precrop-per-clip",
            description = "Draw one pre-crop box per clip, shared by its frames, instead of one per frame. For"
                    + " small pre-crops (native-scale crops of large frames) independent boxes would not overlap,"
                    + " so a clip's frames would show unrelated regions.")
    public boolean preCropPerClip = false;

    @Option(
            names = "--crop-scale-min",
            description = "Track-level random resized crop: area fraction low end (default ${DEFAULT-VALUE}).")
    public double cropScaleMin = 0.08;

    @Option(
            names = "--crop-scale-max",
            description = "Track-level crop area fraction, high end (default ${DEFAULT-VALUE}).")
    public double cropScaleMax = 1.0;

    @Option(
            names = "--crop-ratio-min",
            description = "Track-level crop aspect w/h, low end (default ${DEFAULT-VALUE}).")
    public double cropRatioMin = 0.7;

    @Option(
            names = "--crop-ratio-max",
            description = "Track-level crop aspect w/h, high end (default ${DEFAULT-VALUE}).")
    public double cropRatioMax = 1.3;

    @Option(
            names = "--flip-probability",
            description = "Track-level horizontal flip probability (default ${DEFAULT-VALUE}).")
    public double flipProbability = 0.5;

    @Option(
            names = "--crop-curriculum-start",
            description = "Crop curriculum (SPEC 3.3b item 4): the track-crop scale low end starts here and moves"
                    + " linearly to --crop-scale-min over --crop-curriculum-steps; negative = off"
                    + " (default ${DEFAULT-VALUE}).")
    public double cropCurriculumStart = -1;

    @Option(names = "--crop-curriculum-steps", description = "Steps of the crop curriculum (default ${DEFAULT-VALUE}).")
    public int cropCurriculumSteps = 0;

    // ---- colour ----
    @Option(
            names = "--jitter-brightness",
            description = "Colour jitter brightness b: factor U[max(0,1-b), 1+b] (default ${DEFAULT-VALUE}).")
    public double jitterBrightness = 0.4;

    @Option(names = "--jitter-contrast", description = "Colour jitter contrast (default ${DEFAULT-VALUE}).")
    public double jitterContrast = 0.4;

    @Option(names = "--jitter-saturation", description = "Colour jitter saturation (default ${DEFAULT-VALUE}).")
    public double jitterSaturation = 0.2;

    @Option(
            names = "--jitter-hue",
            description = "Colour jitter hue shift, fraction of a turn (default ${DEFAULT-VALUE}).")
    public double jitterHue = 0.1;

    @Option(
            names = "--fwd-jitter-p",
            description = "Recipe A (forward): jitter probability (default ${DEFAULT-VALUE}).")
    public double forwardJitterP = 0.8;

    @Option(names = "--fwd-gray-p", description = "Recipe A: grayscale probability (default ${DEFAULT-VALUE}).")
    public double forwardGrayP = 0.2;

    @Option(names = "--fwd-blur-p", description = "Recipe A: Gaussian blur probability (default ${DEFAULT-VALUE}).")
    public double forwardBlurP = 1.0;

    @Option(names = "--fwd-solarize-p", description = "Recipe A: solarize probability (default ${DEFAULT-VALUE}).")
    public double forwardSolarizeP = 0.0;

    @Option(
            names = "--bwd-jitter-p",
            description = "Recipe B (backward): jitter probability (default ${DEFAULT-VALUE}).")
    public double backwardJitterP = 0.8;

    @Option(names = "--bwd-gray-p", description = "Recipe B: grayscale probability (default ${DEFAULT-VALUE}).")
    public double backwardGrayP = 0.2;

    @Option(names = "--bwd-blur-p", description = "Recipe B: Gaussian blur probability (default ${DEFAULT-VALUE}).")
    public double backwardBlurP = 0.1;

    @Option(names = "--bwd-solarize-p", description = "Recipe B: solarize probability (default ${DEFAULT-VALUE}).")
    public double backwardSolarizeP = 0.2;

    @Option(
            names = "--blur-sigma-min",
            description = "Blur sigma range low end, pixels of the 256 reference crop (default ${DEFAULT-VALUE}).")
    public double blurSigmaMin = 0.1;

    @Option(names = "--blur-sigma-max", description = "Blur sigma range high end (default ${DEFAULT-VALUE}).")
    public double blurSigmaMax = 2.0;

    @Option(
            names = "--blur-scale-with-crop",
            negatable = true,
            description =
                    "Scale blur sigmas by crop-size/256, so small crops are not blurred away (default ${DEFAULT-VALUE}).")
    public boolean blurScaleWithCrop = true;

    @Option(names = "--no-color-aug", description = "Turn off colour augmentation (paper Table 5 ablation).")
    public boolean noColorAug = false;

    // ---- model and objective ----
    @Option(
            names = "--objective",
            description =
                    "stfc3 (independent track crops + warp + mask) or fc3 (one crop for both tracks) (default ${DEFAULT-VALUE}).")
    public String objective = "stfc3";

    @Option(
            names = "--padding",
            description = "Trunk padding: reflect, zero, replicate or none (default ${DEFAULT-VALUE}).")
    public String padding = "reflect";

    @Option(
            names = "--train-layer",
            description = "Trunk layer feeding the head: layer4 (reference) or layer3 (skips layer4, trains the"
                    + " test-time features directly) (default ${DEFAULT-VALUE}).")
    public String trainLayer = "layer4";

    @Option(names = "--head-hidden", description = "Head hidden channels; 0 = no head (default ${DEFAULT-VALUE}).")
    public int headHidden = 2048;

    @Option(names = "--embed-dim", description = "Head output channels D (default ${DEFAULT-VALUE}).")
    public int embedDim = 512;

    @Option(
            names = "--freeze",
            description = "Trunk stages kept at their initialisation: none, stem (conv1+bn1), layer1 (stem and"
                    + " layer1), layer2 or layer3; the head and the later stages train (default ${DEFAULT-VALUE}).")
    public String freeze = "none";

    @Option(
            names = "--freeze-steps",
            description = "Steps the --freeze stages stay frozen; 0 = the whole run (default ${DEFAULT-VALUE}).")
    public int freezeSteps = 0;

    @Option(names = "--temperature", description = "tau of the transition softmax (default ${DEFAULT-VALUE}).")
    public double temperature = 0.05;

    @Option(names = "--edge-dropout", description = "Edge dropout probability per logit (default ${DEFAULT-VALUE}).")
    public double edgeDropout = 0.1;

    @Option(
            names = "--edge-dropout-start",
            description = "No edge dropout before this step (SPEC 3.3b item 7) (default ${DEFAULT-VALUE}).")
    public int edgeDropoutStart = 0;

    @Option(
            names = "--include-shortest-cycle",
            description = "Also use the shortest cycle s = T-1 (the paper's k = 1..T-1; needed for T = 2).")
    public boolean includeShortestCycle = false;

    // ---- optimiser ----
    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    public double lr = 1e-4;

    @Option(names = "--beta1", description = "Adam beta1 (default ${DEFAULT-VALUE}).")
    public double beta1 = 0.9;

    @Option(names = "--beta2", description = "Adam beta2 (default ${DEFAULT-VALUE}).")
    public double beta2 = 0.999;

    @Option(names = "--adam-eps", description = "Adam epsilon (default ${DEFAULT-VALUE}).")
    public double adamEps = 1e-8;

    @Option(names = "--weight-decay", description = "Adam weight decay (default ${DEFAULT-VALUE}).")
    public double weightDecay = 0;

    @Option(
            names = "--lr-milestones",
            split = ",",
            description =
                    "Steps at which lr is multiplied by --lr-gamma (the reference: epoch 20 of 25). Default: none.")
    public List<Integer> lrMilestones = new ArrayList<>();

    @Option(names = "--lr-gamma", description = "lr factor at each milestone (default ${DEFAULT-VALUE}).")
    public double lrGamma = 0.3;

    @Option(
            names = "--warmup-steps",
            description = "Linear lr warm-up steps; 0 = none, as the reference (default ${DEFAULT-VALUE}).")
    public int warmupSteps = 0;

    @Option(
            names = "--batch-size",
            description = "Clips per step (the reference's global batch) (default ${DEFAULT-VALUE}).")
    public int batchSize = 24;

    @Option(names = "--steps", description = "Optimiser steps in total (default ${DEFAULT-VALUE}).")
    public int steps = 2000;

    @Option(
            names = "--seed",
            description = "Seed of the initialisation and of all sampling (default ${DEFAULT-VALUE}).")
    public long seed = 1234;

    @Option(
            names = "--threads",
            description = "PyTorch intra-op threads; 0 = PyTorch's default (default ${DEFAULT-VALUE}).")
    public int threads = 0;

    // ---- synthetic sanity mode ----
    @Option(
            names = "--synthetic",
            description = "Synthetic sanity mode (SPEC 3.3b item 1): every clip is one real frame translated by a"
                    + " constant random shift per frame; the pipeline should learn it quickly.")
    public boolean synthetic = false;

    @Option(
            names = "--synthetic-shift",
            description = "Synthetic mode: largest shift per frame, pixels of the crop (default ${DEFAULT-VALUE}).")
    public int syntheticShift = 4;

    @Option(
            names = "--synthetic-image",
            description = "Synthetic mode: an image file to translate (default: frames of the training videos).")
    public String syntheticImage;

    // ---- checkpoints, logs, validation ----
    @Option(names = "--checkpoint-every", description = "Write a checkpoint every N steps (default ${DEFAULT-VALUE}).")
    public int checkpointEvery = 100;

    @Option(
            names = "--keep-checkpoints",
            description = "Checkpoints kept on disk (older ones are deleted) (default ${DEFAULT-VALUE}).")
    public int keepCheckpoints = 3;

    @Option(
            names = "--val-root",
            description = "Validation data root laid out like shared/data; with it, checkpoints are scored with the"
                    + " core's eval and the best is kept in OUT/best.")
    public String valRoot;

    @Option(names = "--val-dataset", description = "davis2016, badja or jhmdb (default ${DEFAULT-VALUE}).")
    public String valDataset = "davis2016";

    @Option(names = "--val-sequences", split = ",", description = "Validation sequences (default: all).")
    public List<String> valSequences = new ArrayList<>();

    @Option(
            names = "--val-input-size",
            description =
                    "Validation resize: native, short:<px>, square:<px> (default ${DEFAULT-VALUE}: DAVIS at 240p).")
    public String valInputSize = "short:240";

    @Option(
            names = "--val-radius",
            description = "Validation propagation radius r in cells; 0 = the preset's scaled to the input size"
                    + " (default ${DEFAULT-VALUE}).")
    public double valRadius = 0;

    @Option(
            names = "--val-context",
            description = "Validation context length m; 0 = the preset's (default ${DEFAULT-VALUE}).")
    public int valContext = 0;

    @Option(
            names = "--eval-every",
            description = "Score a checkpoint every N steps; 0 = at every checkpoint (default ${DEFAULT-VALUE}).")
    public int evalEvery = 0;

    @Option(
            names = "--eval-at-start",
            negatable = true,
            description = "Also score the untrained model at step 0 (default ${DEFAULT-VALUE}).")
    public boolean evalAtStart = true;

    @Option(names = "--no-progress", description = "No progress bar (log lines instead).")
    public boolean noProgress = false;

    public PaddingMode paddingMode() {
        return PaddingMode.fromId(padding.trim().toLowerCase(Locale.ROOT));
    }

    public FeatureLayer trainFeatureLayer() {
        return FeatureLayer.fromId(trainLayer.trim().toLowerCase(Locale.ROOT));
    }

    public boolean usesFc3() {
        return objective.trim().equalsIgnoreCase("fc3");
    }

    /** Stages named by --freeze, in trunk order: stem, layer1, ... up to and including the one named. */
    public List<String> frozenStages() {
        String f = freeze.trim().toLowerCase(Locale.ROOT);
        List<String> order = List.of("stem", "layer1", "layer2", "layer3");
        if (f.equals("none")) {
            return List.of();
        }
        int i = order.indexOf(f);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "--freeze must be none, stem, layer1, layer2 or layer3, got '" + freeze + "'");
        }
        return order.subList(0, i + 1);
    }

    /** Whether the --freeze stages are frozen at a step. */
    public boolean frozenAt(long step) {
        return !frozenStages().isEmpty() && (freezeSteps <= 0 || step < freezeSteps);
    }

    /** The effective cache short side. */
    public int cacheShortSideOrCrop() {
        return cacheShortSide > 0 ? cacheShortSide : cropSize;
    }

    /** Track-crop scale low end at a step (the crop curriculum). */
    public double cropScaleMinAt(long step) {
        if (cropCurriculumStart < 0 || cropCurriculumSteps <= 0 || step >= cropCurriculumSteps) {
            return cropScaleMin;
        }
        double t = (double) step / cropCurriculumSteps;
        return cropCurriculumStart + t * (cropScaleMin - cropCurriculumStart);
    }

    /** Edge dropout at a step. */
    public double edgeDropoutAt(long step) {
        return step < edgeDropoutStart ? 0 : edgeDropout;
    }

    /** lr at a step: warm-up, then MultiStepLR. */
    public double lrAt(long step) {
        double v = lr;
        for (int milestone : lrMilestones) {
            if (step >= milestone) {
                v *= lrGamma;
            }
        }
        if (warmupSteps > 0 && step < warmupSteps) {
            v *= (step + 1.0) / warmupSteps;
        }
        return v;
    }

    /** Blur sigma range after the optional scaling with the crop size. */
    public double[] blurSigmaRange() {
        double k = blurScaleWithCrop ? cropSize / 256.0 : 1.0;
        return new double[] {blurSigmaMin * k, blurSigmaMax * k};
    }

    /** Checks every value; the message names the option. */
    public void validate() {
        paddingMode();
        FeatureLayer layer = trainFeatureLayer();
        String obj = objective.trim().toLowerCase(Locale.ROOT);
        if (!obj.equals("stfc3") && !obj.equals("fc3")) {
            throw new IllegalArgumentException("--objective must be stfc3 or fc3, got '" + objective + "'");
        }
        if (!synthetic && videos.isEmpty()) {
            throw new IllegalArgumentException("--videos is required (files or folders of training videos)");
        }
        require(clipLength >= 2, "--clip-length must be at least 2, got " + clipLength);
        require(
                clipLength >= 3 || includeShortestCycle,
                "--clip-length 2 has no cycle with s = 1..T-2: add --include-shortest-cycle");
        require(clipsPerVideo >= 1, "--clips-per-video must be at least 1");
        require(cropSize >= 16, "--crop-size must be at least 16 pixels, got " + cropSize);
        require(batchSize >= 1, "--batch-size must be at least 1");
        require(steps >= 1, "--steps must be at least 1");
        require(temperature > 0, "--temperature must be > 0");
        require(edgeDropout >= 0 && edgeDropout < 1, "--edge-dropout must be in [0, 1)");
        require(lr > 0, "--lr must be > 0");
        require(checkpointEvery >= 1, "--checkpoint-every must be at least 1");
        require(keepCheckpoints >= 1, "--keep-checkpoints must be at least 1");
        range("--precrop-scale", preCropScaleMin, preCropScaleMax, 0, 1);
        range("--crop-scale", cropScaleMin, cropScaleMax, 0, 1);
        range("--precrop-ratio", preCropRatioMin, preCropRatioMax, 0, Double.MAX_VALUE);
        range("--crop-ratio", cropRatioMin, cropRatioMax, 0, Double.MAX_VALUE);
        require(flipProbability >= 0 && flipProbability <= 1, "--flip-probability must be in [0, 1]");
        require(blurSigmaMin > 0 && blurSigmaMax >= blurSigmaMin, "--blur-sigma-min/max must satisfy 0 < min <= max");
        require(headHidden >= 0, "--head-hidden must be >= 0");
        require(headHidden == 0 || embedDim >= 1, "--embed-dim must be at least 1");
        require(layer != null, "--train-layer");
        List<String> frozen = frozenStages();
        require(
                !(frozen.contains("layer3") && layer == FeatureLayer.LAYER3 && headHidden == 0),
                "--freeze layer3 with --train-layer layer3 and no head leaves nothing to train");
        require(freezeSteps >= 0, "--freeze-steps must be >= 0");
        require(fps >= 0, "--fps must be >= 0");
        require(syntheticShift >= 0, "--synthetic-shift must be >= 0");
    }

    private static void range(String name, double lo, double hi, double min, double max) {
        require(
                lo > min && hi <= max && lo <= hi,
                name + "-min/max must satisfy " + min + " < min <= max <= " + max + ", got " + lo + ", " + hi);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Human-readable list of settings that differ from SPEC 3's reference recipe. */
    public List<String> deviationsFromReference() {
        TrainConfig ref = new TrainConfig();
        List<String> out = new ArrayList<>();
        if (cropSize != ref.cropSize) {
            out.add("crop size " + cropSize + " (reference 256)");
        }
        if (batchSize != ref.batchSize) {
            out.add("batch " + batchSize + " (reference 24)");
        }
        if (lr != ref.lr) {
            out.add("lr " + lr + " (reference 1e-4)");
        }
        if (temperature != ref.temperature) {
            out.add("tau " + temperature + " (reference 0.05)");
        }
        if (edgeDropout != ref.edgeDropout || edgeDropoutStart > 0) {
            out.add("edge dropout " + edgeDropout + " from step " + edgeDropoutStart + " (reference 0.1 throughout)");
        }
        if (!trainLayer.equals(ref.trainLayer)) {
            out.add("trained on " + trainLayer + " (reference layer4)");
        }
        if (headHidden != ref.headHidden || embedDim != ref.embedDim) {
            out.add("head " + (headHidden == 0 ? "none" : headHidden + "->" + embedDim) + " (reference 2048->512)");
        }
        if (cropCurriculumStart >= 0 && cropCurriculumSteps > 0) {
            out.add("crop curriculum from " + cropCurriculumStart + " to " + cropScaleMin + " over "
                    + cropCurriculumSteps + " steps");
        } else if (cropScaleMin != ref.cropScaleMin) {
            out.add("crop scale min " + cropScaleMin + " (reference 0.08)");
        }
        if (clipLength != ref.clipLength) {
            out.add("T = " + clipLength + " (reference 4)");
        }
        if (includeShortestCycle) {
            out.add("includes the shortest cycle s = T-1");
        }
        if (blurScaleWithCrop && cropSize != 256) {
            out.add("blur sigma scaled by crop/256");
        }
        if (!frozenStages().isEmpty()) {
            out.add("frozen " + String.join("+", frozenStages())
                    + (freezeSteps > 0 ? " for " + freezeSteps + " steps" : " throughout"));
        }
        if (preCropPerClip) {
            out.add("one pre-crop per clip (reference: one per frame)");
        }
        if (synthetic) {
            out.add("SYNTHETIC translated-image clips");
        }
        return out;
    }
}
