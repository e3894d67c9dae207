package dev.cycletrack.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.trainer.data.ClipSample;
import dev.cycletrack.trainer.data.ClipSource;
import dev.cycletrack.trainer.data.Seeds;
import dev.cycletrack.trainer.geometry.WarpGrid;
import dev.cycletrack.trainer.nn.Adam;
import dev.cycletrack.trainer.nn.BilinearSampler;
import dev.cycletrack.trainer.nn.CycleLoss;
import dev.cycletrack.trainer.nn.TrainingModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One STFC3/FC3 training run in memory: the model, Adam, the step counter, and a background thread that
 * prepares the next batch while the current step runs. {@link #step()} does one optimiser step: all 2T
 * frames of all B clips through the model in one batched forward (batch-statistics BN), the cycle loss,
 * backward, Adam. Everything random is derived from (seed, step) or (seed, clip), so a run restored from
 * a checkpoint continues exactly as an uninterrupted one would.
 */
public final class Trainer implements AutoCloseable {

    private static final long DROPOUT_STREAM = 0x44524f50L;

    private final TrainConfig config;
    private final ClipSource source;
    private final NDManager manager;
    private final TrainingModel model;
    private final Adam adam;
    private final ParameterStore store;
    private final ExecutorService prefetcher;
    private Future<ClipSource.Batch> pending;
    private long pendingStep = -1;
    private long step;
    /** Whether the --freeze stages currently have gradients switched off. */
    private boolean frozen;

    private Trainer(TrainConfig config, ClipSource source) {
        this.config = config;
        this.source = source;
        if (config.threads > 0) {
            Engine.getInstance(); // loads the native library before the JNI call
            JniUtils.setNumThreads(config.threads);
        }
        this.manager = NDManager.newBaseManager(Device.cpu());
        try {
            this.model = TrainingModel.create(
                    manager,
                    config.paddingMode(),
                    config.trainFeatureLayer(),
                    config.headHidden,
                    config.embedDim,
                    config.seed);
            this.adam = new Adam(
                    manager, model.trainable(), config.beta1, config.beta2, config.adamEps, config.weightDecay);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        this.store = new ParameterStore(manager, false);
        this.prefetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "clip-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** A fresh run at step 0. */
    public static Trainer create(TrainConfig config, ClipSource source) {
        config.validate();
        return new Trainer(config, source);
    }

    /** Restores weights, optimizer state and the step counter from a checkpoint directory. */
    public void restore(Path checkpoint) throws IOException {
        ObjectNode state = Checkpoint.readState(checkpoint);
        Checkpoint.restore(checkpoint, model.namedParameters(), adam, manager);
        this.step = state.get("step").asLong();
    }

    public TrainConfig config() {
        return config;
    }

    public TrainingModel model() {
        return model;
    }

    public ClipSource source() {
        return source;
    }

    /** Completed steps (the number of the next step to run). */
    public long completedSteps() {
        return step;
    }

    /** Clips consumed so far. */
    public long clipsSeen() {
        return step * config.batchSize;
    }

    /** Runs the next step. */
    public StepResult step() {
        ClipSource.Batch batch = takeBatch(step);
        if (step + 1 < config.steps) {
            long next = step + 1;
            pending = prefetcher.submit(() -> source.batch(next));
            pendingStep = next;
        }
        StepResult r = run(batch);
        step++;
        return r;
    }

    private ClipSource.Batch takeBatch(long k) {
        if (pending != null && pendingStep == k) {
            try {
                return pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preparing clips", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("preparing the clips of step " + k + " failed: " + cause, cause);
            } finally {
                pending = null;
                pendingStep = -1;
            }
        }
        return source.batch(k);
    }

    private StepResult run(ClipSource.Batch batch) {
        long t0 = System.nanoTime();
        int b = batch.size();
        int t = config.clipLength;
        int s = config.cropSize;
        double lr = config.lrAt(step);
        double dropout = config.edgeDropoutAt(step);
        Engine.getInstance().setRandomSeed((int) Seeds.mix(config.seed, DROPOUT_STREAM, step));
        CycleLoss loss =
                new CycleLoss(new CycleLoss.Settings(config.temperature, dropout, config.includeShortestCycle));
        applyFreeze(config.frozenAt(step));
        CycleLoss.Result result;
        int cells;
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = BilinearSampler.owned(sub.create(batch.pixels(), new Shape((long) b * 2 * t, 3, s, s)));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray features = model.features(store, input, true);
                Shape fs = features.getShape();
                int h = Math.toIntExact(fs.get(2));
                int w = Math.toIntExact(fs.get(3));
                cells = h * w;
                NDArray clips = features.reshape(b, 2L * t, fs.get(1), h, w);
                List<WarpGrid> grids = new ArrayList<>(b);
                for (ClipSample sample : batch.samples()) {
                    grids.add(WarpGrid.of(sample.theta(), h, w));
                }
                result = loss.compute(clips, grids, true);
                if (Double.isFinite(result.lossValue())) {
                    gc.backward(result.loss());
                }
            }
        }
        boolean ok = Double.isFinite(result.lossValue());
        if (ok) {
            adam.step(lr);
        } else {
            adam.zeroGradients();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepResult(
                step,
                result.lossValue(),
                result.accuracy(),
                1.0 / cells,
                result.cycleLosses(),
                result.maskFraction(),
                lr,
                dropout,
                config.cropScaleMinAt(step),
                seconds,
                b,
                !ok);
    }

    /**
     * Switches the gradients of the --freeze stages off (or back on). Without a gradient a parameter keeps
     * its value (Adam skips it) and autograd does not back-propagate into the stage at all, which also saves
     * the most expensive part of the backward pass (the early, high-resolution stages).
     */
    private void applyFreeze(boolean freeze) {
        if (freeze == frozen) {
            return;
        }
        List<String> prefixes = new ArrayList<>();
        for (String stage : config.frozenStages()) {
            if (stage.equals("stem")) {
                prefixes.add("trunk.conv1.");
                prefixes.add("trunk.bn1.");
            } else {
                prefixes.add("trunk." + stage + ".");
            }
        }
        for (var e : model.trainable()) {
            if (prefixes.stream().anyMatch(e.getKey()::startsWith)) {
                e.getValue().getArray().setRequiresGradient(!freeze);
            }
        }
        frozen = freeze;
    }

    /**
     * Seconds of the model alone on {@code batch}: the same batched forward (training mode) and a backward
     * of a plain sum of the features, without the warp, transitions and loss, and without an update
     * (gradients are zeroed). The baseline the cycle loss's overhead is measured against.
     */
    public double encoderOnlySeconds(ClipSource.Batch batch) {
        long t0 = System.nanoTime();
        int b = batch.size();
        int t = config.clipLength;
        int s = config.cropSize;
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = BilinearSampler.owned(sub.create(batch.pixels(), new Shape((long) b * 2 * t, 3, s, s)));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray features = model.features(store, input, true);
                gc.backward(features.sum());
            }
        }
        adam.zeroGradients();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** One full training step on a given batch, timed, without advancing the step counter or the data. */
    public StepResult stepOn(ClipSource.Batch batch) {
        return run(batch);
    }

    /** The run's position for state.json (the caller adds what it tracks: elapsed time, best score...). */
    public ObjectNode state(ObjectMapper json) {
        ObjectNode state = json.createObjectNode();
        state.put("step", step);
        state.put("clips_seen", clipsSeen());
        state.put("epoch", source.plan().epochOf(clipsSeen()));
        state.put("epoch_position", source.plan().positionOf(clipsSeen()));
        state.put("epoch_size", source.plan().epochSize());
        state.put("seed", config.seed);
        state.put("adam_steps", adam.steps());
        state.put(
                "rng",
                "counter-based: clip k uses mix(seed, CLIP, k), edge dropout of step n uses mix(seed, DROP, n);"
                        + " restoring the step restores every random stream");
        state.set("config", json.valueToTree(config));
        return state;
    }

    /** Writes a checkpoint of the current state into {@code dir}. */
    public void saveCheckpoint(Path dir, ObjectNode state) throws IOException {
        Checkpoint.save(dir, model.namedParameters(), adam, state);
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
        adam.close();
        manager.close();
    }
}
