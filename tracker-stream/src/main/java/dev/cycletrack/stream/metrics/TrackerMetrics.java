package dev.cycletrack.stream.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tracker's meters, Prometheus style ({@code cycletrack_} prefix, base units):
 *
 * <pre>
 * cycletrack_frames_in_total                       frames received
 * cycletrack_frames_total{result,reason}           result = labelled | skipped | invalid | dropped;
 *                                                  reason = the dead-letter reason, duplicate, out_of_order, too_old
 * cycletrack_label_inits_total{result}             accepted | invalid
 * cycletrack_stage_seconds{stage}                  decode | encode | propagate | labels | e2e (from capture)
 * cycletrack_encoder_batch_frames                  frames per encoder batch
 * cycletrack_active_streams                        streams with a live context in this instance
 * cycletrack_context_bytes                         bytes of the in-memory contexts (features + labels)
 * cycletrack_model_info{version}                   1 for the version in use
 * cycletrack_model_swaps_total{result}             ok | failed
 * cycletrack_streams_evicted_total                 idle streams evicted
 * kafka_stream_*                                   Kafka Streams' own metrics (KafkaStreamsMetrics binder)
 * </pre>
 */
public final class TrackerMetrics {

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Counter framesIn;
    private final Map<String, Counter> results = new ConcurrentHashMap<>();
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final DistributionSummary batch;
    private final Map<Object, Long> contextBytes = new ConcurrentHashMap<>();
    private final Map<Object, Integer> activeStreams = new ConcurrentHashMap<>();
    private final AtomicReference<String> modelVersion = new AtomicReference<>("");
    private final Map<String, AtomicLong> modelInfo = new ConcurrentHashMap<>();

    public TrackerMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public TrackerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
        framesIn = Counter.builder("cycletrack.frames.in")
                .description("Frames received")
                .register(registry);
        batch = DistributionSummary.builder("cycletrack.encoder.batch.frames")
                .description("Frames per encoder batch")
                .register(registry);
        Gauge.builder(
                        "cycletrack.active.streams",
                        activeStreams,
                        m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .description("Streams with a live context in this instance")
                .register(registry);
        Gauge.builder(
                        "cycletrack.context.bytes",
                        contextBytes,
                        m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("Bytes of the in-memory propagation contexts")
                .baseUnit("bytes")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (empty when the registry is not a Prometheus one). */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    public void frameIn() {
        framesIn.increment();
    }

    public void frame(String result, String reason) {
        results.computeIfAbsent(
                        result + "/" + reason,
                        k -> Counter.builder("cycletrack.frames")
                                .description("Frames by outcome")
                                .tag("result", result)
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    public double frames(String result, String reason) {
        Counter c = results.get(result + "/" + reason);
        return c == null ? 0 : c.count();
    }

    public void labelInit(String result, String reason) {
        results.computeIfAbsent(
                        "init/" + result + "/" + reason,
                        k -> Counter.builder("cycletrack.label.inits")
                                .description("LabelInit records by outcome")
                                .tag("result", result)
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    public void stage(String stage, long nanos) {
        stages.computeIfAbsent(
                        stage,
                        s -> Timer.builder("cycletrack.stage")
                                .description("Time per frame in each stage; e2e is from capture to output")
                                .tag("stage", s)
                                .publishPercentiles(0.5, 0.95, 0.99)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(100_000))
                                .maximumExpectedValue(Duration.ofSeconds(30))
                                .register(registry))
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void batch(int frames) {
        batch.record(frames);
    }

    /** Reports the contexts of one owner (a processor instance). */
    public void contexts(Object owner, int streams, long bytes) {
        activeStreams.put(owner, streams);
        contextBytes.put(owner, bytes);
    }

    public void forget(Object owner) {
        activeStreams.remove(owner);
        contextBytes.remove(owner);
    }

    public void modelInUse(String version) {
        String old = modelVersion.getAndSet(version);
        if (old != null && !old.isEmpty() && !old.equals(version)) {
            AtomicLong prev = modelInfo.get(old);
            if (prev != null) {
                prev.set(0);
            }
        }
        modelInfo
                .computeIfAbsent(version, v -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("cycletrack.model.info", value, AtomicLong::get)
                            .description("1 for the model version in use")
                            .tag("version", v)
                            .register(registry);
                    return value;
                })
                .set(1);
    }

    public void swap(String result) {
        Counter.builder("cycletrack.model.swaps")
                .description("Model swaps by outcome")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public double swaps(String result) {
        Counter c =
                registry.find("cycletrack.model.swaps").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    public void evicted(int n) {
        Counter.builder("cycletrack.streams.evicted")
                .description("Idle streams evicted")
                .register(registry)
                .increment(n);
    }
}
