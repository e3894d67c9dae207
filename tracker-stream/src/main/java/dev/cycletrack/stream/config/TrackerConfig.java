package dev.cycletrack.stream.config;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.schemas.TopicRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Cycletrack's own tracker settings. On the command line they are options of {@code track}; in a
 * properties map they are the {@code cycletrack.*} keys below (Kafka Streams' own settings keep their
 * own names: {@code application.id}, {@code state.dir}, {@code processing.guarantee},
 * {@code num.stream.threads}).
 *
 * <pre>
 * cycletrack.topic.prefix          topic name prefix                              (cycletrack.)
 * cycletrack.max.frame.age.ms      frames older than this when their turn comes  (1000)
 *                                  are skipped (counted); 0 = never skip
 * cycletrack.catch.up              process every frame whatever its age           (false)
 * cycletrack.idle.timeout.ms       a stream with no record for this long is        (600000)
 *                                  evicted: cache and stored context
 * cycletrack.eviction.interval.ms  how often the eviction punctuator runs          (10000)
 * cycletrack.max.frame.bytes       larger frames go to the dead-letter topic       (8388608)
 * cycletrack.max.frame.pixels      larger frames go to the dead-letter topic       (8294400, 4K)
 * cycletrack.batch.size            encoder batch limit B                           (8)
 * cycletrack.batch.wait.ms         encoder batch wait W                            (5)
 * cycletrack.encoder.workers       threads running encoder forwards in parallel;   (0)
 *                                  0 = one per core (one on a GPU); with several, the
 *                                  intra-op threads split the cores between them
 * cycletrack.input.size            input size override for every stream ("" = the preset's)
 * cycletrack.http.port             /metrics port, 0 = any free port, -1 = none    (9464)
 * </pre>
 */
public record TrackerConfig(
        String topicPrefix,
        Duration maxFrameAge,
        boolean catchUp,
        Duration idleTimeout,
        Duration evictionInterval,
        int maxFrameBytes,
        long maxFramePixels,
        int batchSize,
        Duration batchWait,
        int encoderWorkers,
        InputSize inputSizeOverride,
        int httpPort) {

    public static final String PREFIX = "cycletrack.";

    public TrackerConfig {
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (encoderWorkers < 0) {
            throw new IllegalArgumentException(
                    "encoder workers must be >= 0 (0 = one per core), got " + encoderWorkers);
        }
        if (maxFrameAge.isNegative() || idleTimeout.isNegative() || batchWait.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (evictionInterval.isZero() || evictionInterval.isNegative()) {
            throw new IllegalArgumentException("eviction interval must be positive");
        }
    }

    public static TrackerConfig defaults() {
        return new TrackerConfig(
                TopicRegistry.DEFAULT_PREFIX,
                Duration.ofSeconds(1),
                false,
                Duration.ofMinutes(10),
                Duration.ofSeconds(10),
                8 << 20,
                3840L * 2160,
                8,
                Duration.ofMillis(5),
                0,
                null,
                9464);
    }

    public TopicRegistry topics() {
        return new TopicRegistry(topicPrefix);
    }

    public TrackerConfig withTopicPrefix(String p) {
        return new TrackerConfig(
                p,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                encoderWorkers,
                inputSizeOverride,
                httpPort);
    }

    public TrackerConfig withMaxFrameAge(Duration d, boolean catchUpAll) {
        return new TrackerConfig(
                topicPrefix,
                d,
                catchUpAll,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                encoderWorkers,
                inputSizeOverride,
                httpPort);
    }

    public TrackerConfig withIdleTimeout(Duration idle, Duration interval) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idle,
                interval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                encoderWorkers,
                inputSizeOverride,
                httpPort);
    }

    public TrackerConfig withLimits(int bytes, long pixels) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                bytes,
                pixels,
                batchSize,
                batchWait,
                encoderWorkers,
                inputSizeOverride,
                httpPort);
    }

    public TrackerConfig withBatching(int size, Duration wait) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                size,
                wait,
                encoderWorkers,
                inputSizeOverride,
                httpPort);
    }

    public TrackerConfig withEncoderWorkers(int workers) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                workers,
                inputSizeOverride,
                httpPort);
    }

    /**
     * Encoder workers to start: the configured number, or for 0 one per core on the CPU and one on a
     * GPU (one worker gathers the batches a GPU runs in one forward).
     */
    public int effectiveEncoderWorkers(boolean gpu) {
        if (encoderWorkers > 0) {
            return encoderWorkers;
        }
        return gpu ? 1 : Runtime.getRuntime().availableProcessors();
    }

    public TrackerConfig withInputSize(InputSize size) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                encoderWorkers,
                size,
                httpPort);
    }

    public TrackerConfig withHttpPort(int port) {
        return new TrackerConfig(
                topicPrefix,
                maxFrameAge,
                catchUp,
                idleTimeout,
                evictionInterval,
                maxFrameBytes,
                maxFramePixels,
                batchSize,
                batchWait,
                encoderWorkers,
                inputSizeOverride,
                port);
    }

    /** Reads the {@code cycletrack.*} keys of a properties map over the defaults. */
    public static TrackerConfig fromMap(Map<String, ?> props) {
        TrackerConfig d = defaults();
        return new TrackerConfig(
                str(props, "topic.prefix", d.topicPrefix),
                Duration.ofMillis(lng(props, "max.frame.age.ms", d.maxFrameAge.toMillis())),
                Boolean.parseBoolean(str(props, "catch.up", String.valueOf(d.catchUp))),
                Duration.ofMillis(lng(props, "idle.timeout.ms", d.idleTimeout.toMillis())),
                Duration.ofMillis(lng(props, "eviction.interval.ms", d.evictionInterval.toMillis())),
                (int) lng(props, "max.frame.bytes", d.maxFrameBytes),
                lng(props, "max.frame.pixels", d.maxFramePixels),
                (int) lng(props, "batch.size", d.batchSize),
                Duration.ofMillis(lng(props, "batch.wait.ms", d.batchWait.toMillis())),
                (int) lng(props, "encoder.workers", d.encoderWorkers),
                str(props, "input.size", "").isBlank() ? null : InputSize.parse(str(props, "input.size", "")),
                (int) lng(props, "http.port", d.httpPort));
    }

    /** The {@code cycletrack.*} keys of this configuration. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "topic.prefix", topicPrefix);
        m.put(PREFIX + "max.frame.age.ms", String.valueOf(maxFrameAge.toMillis()));
        m.put(PREFIX + "catch.up", String.valueOf(catchUp));
        m.put(PREFIX + "idle.timeout.ms", String.valueOf(idleTimeout.toMillis()));
        m.put(PREFIX + "eviction.interval.ms", String.valueOf(evictionInterval.toMillis()));
        m.put(PREFIX + "max.frame.bytes", String.valueOf(maxFrameBytes));
        m.put(PREFIX + "max.frame.pixels", String.valueOf(maxFramePixels));
        m.put(PREFIX + "batch.size", String.valueOf(batchSize));
        m.put(PREFIX + "batch.wait.ms", String.valueOf(batchWait.toMillis()));
        m.put(PREFIX + "encoder.workers", String.valueOf(encoderWorkers));
        m.put(PREFIX + "input.size", inputSizeText(inputSizeOverride));
        m.put(PREFIX + "http.port", String.valueOf(httpPort));
        return m;
    }

    /** The text {@link InputSize#parse} reads back ("" for none). */
    public static String inputSizeText(InputSize size) {
        if (size == null) {
            return "";
        }
        if (size instanceof InputSize.ShortSide s) {
            return "short:" + s.size();
        }
        if (size instanceof InputSize.Square q) {
            return "square:" + q.size();
        }
        return "native";
    }

    private static String str(Map<String, ?> props, String key, String def) {
        Object v = props.get(PREFIX + key);
        return v == null ? def : v.toString();
    }

    private static long lng(Map<String, ?> props, String key, long def) {
        Object v = props.get(PREFIX + key);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number, got '" + v + "'");
        }
    }
}
