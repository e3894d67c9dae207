package dev.cycletrack.stream.processor;

import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.EncoderService;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import dev.cycletrack.stream.state.StreamStores;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The tracker's topology, Processor API:
 *
 * <pre>
 * frames (String, Frame) ─────┐
 *                             ├─► tracker (stores cycletrack-streams, cycletrack-frames) ─► labels (FrameKey, FrameLabels)
 * label-init (String, LabelInit) ┘                   invalid input ─► dead-letter (exception handlers)
 * </pre>
 *
 * Labels are partitioned by stream id, like the frames, so one stream's labels stay in order.
 */
public final class TrackerTopology {

    public static final String FRAMES_SOURCE = "frames-source";
    public static final String INIT_SOURCE = "label-init-source";
    public static final String PROCESSOR = "tracker";
    public static final String LABELS_SINK = "labels-sink";

    private TrackerTopology() {}

    public static Topology build(TrackerConfig config, EncoderService encoder, TrackerMetrics metrics) {
        TopicRegistry topics = config.topics();
        Topology t = new Topology();
        t.addSource(
                FRAMES_SOURCE,
                Serdes.String().deserializer(),
                topics.frames().valueSerde().deserializer(),
                topics.frames().name());
        t.addSource(
                INIT_SOURCE,
                Serdes.String().deserializer(),
                topics.labelInit().valueSerde().deserializer(),
                topics.labelInit().name());
        t.addProcessor(PROCESSOR, () -> new TrackerProcessor(config, encoder, metrics), FRAMES_SOURCE, INIT_SOURCE);
        t.addStateStore(StreamStores.streams(), PROCESSOR);
        t.addStateStore(StreamStores.frames(), PROCESSOR);
        t.addSink(
                LABELS_SINK,
                topics.labels().name(),
                topics.labels().keySerde().serializer(),
                topics.labels().valueSerde().serializer(),
                new ByStream(),
                PROCESSOR);
        return t;
    }

    /**
     * The Streams settings the topology needs (dead-letter handlers, Cycletrack's keys); callers add
     * bootstrap servers, state dir, threads and the processing guarantee.
     */
    public static Properties streamsProperties(String applicationId, TrackerConfig config, TrackerMetrics metrics) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                config.topics().deadLetter().name());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class.getName());
        p.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterHandlers.Deserialization.class.getName());
        p.putAll(config.toMap());
        p.put(DeadLetterHandlers.METRICS_CONFIG, metrics);
        // Frames and stored context frames can be large.
        p.put(StreamsConfig.producerPrefix("max.request.size"), String.valueOf(32 << 20));
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), String.valueOf(32 << 20));
        DeadLetterHandlers.register(applicationId, metrics);
        return p;
    }

    /** Partitions (stream, seq) keys by stream id, as the default partitioner does the frames' String keys. */
    static final class ByStream implements StreamPartitioner<FrameKey, FrameLabels> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, FrameKey key, FrameLabels value, int numPartitions) {
            byte[] id = key.getStreamId().getBytes(StandardCharsets.UTF_8);
            return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(id)) % numPartitions));
        }
    }
}
