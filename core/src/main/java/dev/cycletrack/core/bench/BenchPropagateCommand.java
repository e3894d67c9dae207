package dev.cycletrack.core.bench;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.EncoderRuntime;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.propagation.Propagator;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cycletrack bench propagate}: propagation (windowed vs dense) and encoder timings. */
@Command(
        name = "propagate",
        mixinStandardHelpOptions = true,
        description = {
            "Median per-frame time of windowed and dense label propagation at the DAVIS setting",
            "(60x107 grid, C=256, m=20, r=12, k=10) and the pose setting (40x40, m=7), and of the encoder",
            "at 320x320 and 480x854. Checks that windowed and dense labels agree. Writes the figures",
            "into docs/benchmarks.md (section 'bench propagate')."
        })
public final class BenchPropagateCommand implements Callable<Integer> {

    /**
     * Warm-up frames before the pose setting's timed frames: the JIT needs about 50 frames to settle on
     * the Vector API kernels (medians of 10-frame chunks from a fresh JVM: 34, 28, 19, 14 ms, then
     * 12-13 from about frame 50 on; the OpenBLAS path 48, 41, 40, 22, then 16-17), and a live tracker
     * runs at that steady state.
     */
    static final int POSE_WARMUP = 60;

    /** Warm-up frames at the DAVIS setting: each frame there is long enough to compile the kernels. */
    static final int DAVIS_WARMUP = 3;

    @Mixin
    BenchOutput output = new BenchOutput();

    @Option(
            names = "--frames",
            defaultValue = "7",
            description = "Measured windowed steps per setting (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(
            names = "--dense-frames",
            defaultValue = "3",
            description = "Measured dense steps per setting (default ${DEFAULT-VALUE}).")
    int denseFrames;

    @Option(
            names = "--model",
            description = "Model whose features of the shipped sample clip are propagated (default: models/stfc3;"
                    + " random unit features where neither is found).")
    java.nio.file.Path model;

    @Option(
            names = "--only",
            split = ",",
            description =
                    "Run only some parts: davis, pose, encoder (default: all; the markdown is written only for a full run).")
    java.util.List<String> only;

    @Override
    public Integer call() throws IOException {
        CpuSteal stealBefore = CpuSteal.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        PropagationParams davisParams = Preset.VOS.params();
        PropagationParams poseParams = Preset.POSE.params();

        System.err.println("windowed path: " + Propagator.describeWindowed());
        RealFeatures real = wanted("davis") || wanted("pose") ? RealFeatures.load(model) : RealFeatures.NONE;
        // Real features are encoded only for the parts that run; the others keep cheap synthetic ones.
        PropagationBenchmark davis = (wanted("davis") ? real : RealFeatures.NONE)
                .davis(davisParams)
                .orElseGet(() -> PropagationBenchmark.synthetic(60, 107, 256, 2, davisParams, 1));
        PropagationBenchmark.Timing dw = NOT_RUN;
        PropagationBenchmark.Timing dd = NOT_RUN;
        PropagationBenchmark.Agreement davisDiff = PropagationBenchmark.Agreement.NOT_RUN;
        if (wanted("davis")) {
            System.err.println("DAVIS setting: " + davis.describe());
            dw = davis.time(Propagator.windowed(), DAVIS_WARMUP, frames);
            System.err.printf(Locale.ROOT, "  windowed %.1f ms (cpu %.0f ms)%n", dw.medianMs(), dw.cpuMsPerFrame());
            dd = davis.time(Propagator.dense(), 0, denseFrames);
            System.err.printf(Locale.ROOT, "  dense    %.1f ms (cpu %.0f ms)%n", dd.medianMs(), dd.cpuMsPerFrame());
            davisDiff = davis.compare(Propagator.windowed(), Propagator.dense(), 2);
        }

        PropagationBenchmark pose = (wanted("pose") ? real : RealFeatures.NONE)
                .pose(poseParams)
                .orElseGet(() -> PropagationBenchmark.synthetic(40, 40, 256, 16, poseParams, 2));
        PropagationBenchmark poseSynthetic = PropagationBenchmark.synthetic(40, 40, 256, 16, poseParams, 2);
        PropagationBenchmark.Timing pw = NOT_RUN;
        PropagationBenchmark.Timing pd = NOT_RUN;
        PropagationBenchmark.Timing psw = NOT_RUN;
        PropagationBenchmark.Timing psd = NOT_RUN;
        PropagationBenchmark.Agreement poseDiff = PropagationBenchmark.Agreement.NOT_RUN;
        PropagationBenchmark.Agreement poseSyntheticDiff = PropagationBenchmark.Agreement.NOT_RUN;
        if (wanted("pose")) {
            System.err.println("pose setting: " + pose.describe());
            pw = pose.time(Propagator.windowed(), POSE_WARMUP, Math.max(frames, 100));
            System.err.printf(Locale.ROOT, "  windowed %.1f ms (cpu %.0f ms)%n", pw.medianMs(), pw.cpuMsPerFrame());
            pd = pose.time(Propagator.dense(), 1, Math.max(denseFrames, 5));
            System.err.printf(Locale.ROOT, "  dense    %.1f ms (cpu %.0f ms)%n", pd.medianMs(), pd.cpuMsPerFrame());
            poseDiff = pose.compare(Propagator.windowed(), Propagator.dense(), 4);
            if (pose != poseSynthetic && real != RealFeatures.NONE) {
                System.err.println("pose setting: " + poseSynthetic.describe());
                psw = poseSynthetic.time(Propagator.windowed(), POSE_WARMUP, Math.max(frames, 100));
                System.err.printf(
                        Locale.ROOT, "  windowed %.1f ms (cpu %.0f ms)%n", psw.medianMs(), psw.cpuMsPerFrame());
                psd = poseSynthetic.time(Propagator.dense(), 1, Math.max(denseFrames, 5));
                System.err.printf(
                        Locale.ROOT, "  dense    %.1f ms (cpu %.0f ms)%n", psd.medianMs(), psd.cpuMsPerFrame());
                poseSyntheticDiff = poseSynthetic.compare(Propagator.windowed(), Propagator.dense(), 4);
            }
        }

        // Encoder: both runtimes with every core, and at one thread (a tracker worker's share).
        Map<String, PropagationBenchmark.Timing> encoder = new LinkedHashMap<>();
        if (wanted("encoder")) {
            int cores = Runtime.getRuntime().availableProcessors();
            try (ModelArtifact random = ModelArtifact.createRandom(0, PaddingMode.REFLECT)) {
                for (EncoderRuntime runtime : EncoderRuntime.values()) {
                    try (Encoder e = Encoder.fromArtifact(random, runtime)) {
                        for (int threads : new int[] {cores, 1}) {
                            EncoderRuntime.setIntraOpThreads(threads);
                            String key = runtime.id() + "_" + threads + "t";
                            System.err.println("encoder (ResNet-18 to layer3, reflect padding), " + runtime.id() + ", "
                                    + threads + " thread(s)");
                            encoder.put("320_" + key, EncoderBenchmark.time(e, 320, 320, 2, 7));
                            report("320x320", encoder.get("320_" + key));
                            if (threads == cores) {
                                encoder.put("480p_" + key, EncoderBenchmark.time(e, 854, 480, 1, 5));
                                report("480x854", encoder.get("480p_" + key));
                            }
                        }
                    }
                }
            } finally {
                EncoderRuntime.setIntraOpThreads(cores);
            }
            String configured = EncoderRuntime.configured(PaddingMode.REFLECT).id() + "_" + cores + "t";
            out.put(
                    "encoder_runtime",
                    EncoderRuntime.configured(PaddingMode.REFLECT).id());
            out.put("encoder_320_ms", round(encoder.get("320_" + configured).medianMs()));
            out.put("encoder_480p_ms", round(encoder.get("480p_" + configured).medianMs()));
            Map<String, Object> all = new LinkedHashMap<>();
            encoder.forEach((k, t) -> all.put(k, round(t.medianMs())));
            out.put("encoder_ms", all);
        }

        out.put("propagate_davis_windowed_ms", round(dw.medianMs()));
        out.put("propagate_davis_dense_ms", round(dd.medianMs()));
        out.put("propagate_davis_speedup", round(dd.medianMs() / dw.medianMs()));
        out.put("propagate_davis_max_abs_diff", davisDiff.maxAbs());
        out.put("propagate_davis_share_over_1e5", davisDiff.shareOver1e5());
        out.put("propagate_pose_windowed_ms", round(pw.medianMs()));
        out.put("propagate_pose_dense_ms", round(pd.medianMs()));
        out.put("propagate_pose_max_abs_diff", poseDiff.maxAbs());
        out.put("propagate_pose_share_over_1e5", poseDiff.shareOver1e5());
        out.put("propagate_pose_synthetic_windowed_ms", round(psw.medianMs()));
        out.put("propagate_pose_synthetic_dense_ms", round(psd.medianMs()));
        out.put("propagate_pose_synthetic_max_abs_diff", poseSyntheticDiff.maxAbs());
        out.put("propagate_pose_synthetic_share_over_1e5", poseSyntheticDiff.shareOver1e5());
        out.put("features", real.describe());
        out.put("window_kernel", Propagator.describeWindowed());
        out.put(
                "cpu_ms_per_frame",
                Map.of(
                        "propagate_davis_windowed", round(dw.cpuMsPerFrame()),
                        "propagate_davis_dense", round(dd.cpuMsPerFrame()),
                        "propagate_pose_windowed", round(pw.cpuMsPerFrame()),
                        "propagate_pose_dense", round(pd.cpuMsPerFrame()),
                        "propagate_pose_synthetic_windowed", round(psw.cpuMsPerFrame())));
        out.put("threads", Runtime.getRuntime().availableProcessors());
        out.put("cpu", BenchmarkDoc.cpuModel());
        out.put("cpu_steal_percent", CpuSteal.snapshot().percentSince(stealBefore));

        // Parts not run (--only) are left out rather than written as NaN.
        out.values().removeIf(v -> v instanceof Double d && d.isNaN());
        if (out.get("cpu_ms_per_frame") instanceof Map<?, ?> cpu) {
            Map<Object, Object> kept = new LinkedHashMap<>(cpu);
            kept.values().removeIf(v -> v instanceof Double d && d.isNaN());
            out.put("cpu_ms_per_frame", kept);
        }
        if (only != null) {
            output.skipDoc(); // a partial run leaves the doc section as it is
        }
        output.publish(out, "bench propagate", () -> markdown(out, davis, pose, poseSynthetic));
        return 0;
    }

    private static String markdown(
            Map<String, Object> r, PropagationBenchmark davis, PropagationBenchmark pose, PropagationBenchmark synth) {
        return String.format(
                Locale.ROOT,
                """
                ## Propagation and encoder (`./cycletrack bench propagate`)

                Measured %s on %s, %s cores (%s%% of the CPU time stolen by the hypervisor during the run),
                `./cycletrack bench propagate --json out/bench-propagate.json`. Median per-frame milliseconds at
                steady state (context full, after %d warm-up frames at the pose setting, %d at DAVIS), process
                CPU ms per frame in `--json`. Features: %s.
                Windowed path: %s.
                The last row repeats the pose setting on random unit features, the worst case for the
                frame-0 bound (no dominant subspace, so every frame-0 affinity is computed).

                | what | setting | windowed ms | dense ms | speed-up | max abs label diff | label values off by > 1e-5 |
                |---|---|---|---|---|---|---|
                | propagation, DAVIS | %s | %s | %s | %.1fx | %.1e | %.4f%% |
                | propagation, pose | %s | %s | %s | %.1fx | %.1e | %.4f%% |
                | propagation, pose, worst case | %s | %s | %s | %.1fx | %.1e | %.4f%% |

                Encoder: ResNet-18 to layer3, stride 8, reflect padding, fp32, median ms of one forward. `pytorch`
                is DJL's PyTorch engine (oneDNN direct convolutions), `opencv` OpenCV's DNN module (Winograd
                F(6x6, 3x3) for the 3x3 stride-1 convolutions); one thread is a tracker worker's share.
                The default runtime (`-Dcycletrack.encoder.runtime`, auto) is %s.

                | runtime | threads | 320x320 | 480x854 |
                |---|---|---|---|
                %s

                Targets on the 2-core machine: windowed at least 5x faster than dense at the DAVIS setting with
                equal labels; pose-setting propagation at most 20 ms per frame.
                """,
                LocalDate.now(),
                r.get("cpu"),
                r.get("threads"),
                r.get("cpu_steal_percent"),
                POSE_WARMUP,
                DAVIS_WARMUP,
                r.get("features"),
                r.get("window_kernel"),
                davis.describe(),
                r.get("propagate_davis_windowed_ms"),
                r.get("propagate_davis_dense_ms"),
                (Double) r.get("propagate_davis_dense_ms") / (Double) r.get("propagate_davis_windowed_ms"),
                (Double) r.get("propagate_davis_max_abs_diff"),
                100 * (Double) r.get("propagate_davis_share_over_1e5"),
                pose.describe(),
                r.get("propagate_pose_windowed_ms"),
                r.get("propagate_pose_dense_ms"),
                (Double) r.get("propagate_pose_dense_ms") / (Double) r.get("propagate_pose_windowed_ms"),
                (Double) r.get("propagate_pose_max_abs_diff"),
                100 * (Double) r.get("propagate_pose_share_over_1e5"),
                synth.describe(),
                r.get("propagate_pose_synthetic_windowed_ms"),
                r.get("propagate_pose_synthetic_dense_ms"),
                (Double) r.get("propagate_pose_synthetic_dense_ms")
                        / (Double) r.get("propagate_pose_synthetic_windowed_ms"),
                (Double) r.get("propagate_pose_synthetic_max_abs_diff"),
                100 * (Double) r.get("propagate_pose_synthetic_share_over_1e5"),
                r.get("encoder_runtime"),
                encoderRows(r));
    }

    private static String encoderRows(Map<String, Object> r) {
        Map<?, ?> ms = (Map<?, ?>) r.get("encoder_ms");
        int cores = (Integer) r.get("threads");
        StringBuilder rows = new StringBuilder();
        for (EncoderRuntime runtime : EncoderRuntime.values()) {
            for (int threads : new int[] {cores, 1}) {
                String key = runtime.id() + "_" + threads + "t";
                Object hd = ms.get("480p_" + key);
                rows.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %s | %s |%n",
                        runtime.id(),
                        threads,
                        ms.get("320_" + key),
                        hd == null ? "" : hd));
            }
        }
        return rows.toString().strip();
    }

    private static void report(String size, PropagationBenchmark.Timing t) {
        System.err.printf(Locale.ROOT, "  %s  %.1f ms (cpu %.0f ms)%n", size, t.medianMs(), t.cpuMsPerFrame());
    }

    private static final PropagationBenchmark.Timing NOT_RUN =
            new PropagationBenchmark.Timing(Double.NaN, Double.NaN, Double.NaN, 0);

    private boolean wanted(String part) {
        return only == null || only.contains(part);
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }

    /** Registers {@code bench propagate} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new BenchPropagateCommand();
        }

        @Override
        public String parent() {
            return "bench";
        }
    }
}
