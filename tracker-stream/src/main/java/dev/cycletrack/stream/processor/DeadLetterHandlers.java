package dev.cycletrack.stream.processor;

import dev.cycletrack.schemas.DeadLetter;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' own exception handlers, routing bad input to the dead-letter topic
 * ({@code errors.dead.letter.queue.topic.name}) and resuming, so that the stream and all others keep
 * going. Each dead-letter record is the input's raw key and value with Kafka Streams' standard
 * {@code __streams.errors.*} headers plus Cycletrack's {@link DeadLetter} headers (reason, detail,
 * stream, seq). Every one is counted: {@code cycletrack_frames_total{result="invalid",reason}} for
 * frames, {@code cycletrack_label_inits_total{result="invalid",reason}} for LabelInits.
 */
public final class DeadLetterHandlers {

    /** Where the handlers find the tracker's metrics: this key in the Streams config, else by application id. */
    public static final String METRICS_CONFIG = TrackerConfig.PREFIX + "metrics.instance";

    private static final Map<String, TrackerMetrics> BY_APPLICATION = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {}

    /** Registers the metrics the handlers of this application count into. */
    public static void register(String applicationId, TrackerMetrics metrics) {
        BY_APPLICATION.put(applicationId, metrics);
    }

    public static void unregister(String applicationId) {
        BY_APPLICATION.remove(applicationId);
    }

    private abstract static class Base {
        String dlqTopic;
        String labelInitTopic;
        TrackerMetrics metrics;

        void configureBase(Map<String, ?> configs) {
            Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            Object prefix = configs.get(TrackerConfig.PREFIX + "topic.prefix");
            TopicRegistry topics = new TopicRegistry(prefix == null ? TopicRegistry.DEFAULT_PREFIX : prefix.toString());
            dlqTopic = t == null ? topics.deadLetter().name() : t.toString();
            labelInitTopic = topics.labelInit().name();
            Object m = configs.get(METRICS_CONFIG);
            if (m instanceof TrackerMetrics tm) {
                metrics = tm;
            } else {
                Object app = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
                metrics = app == null ? null : BY_APPLICATION.get(app.toString());
            }
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(
                ErrorHandlerContext ctx,
                byte[] key,
                byte[] value,
                Exception e,
                InvalidReason reason,
                String detail,
                String stream,
                long seq) {
            ProducerRecord<byte[], byte[]> rec =
                    ExceptionHandlerUtils.buildDeadLetterQueueRecord(dlqTopic, key, value, ctx, e);
            Headers h = rec.headers();
            put(h, DeadLetter.REASON, reason.id());
            put(h, DeadLetter.DETAIL, detail == null ? e.toString() : detail);
            put(h, DeadLetter.SOURCE_TOPIC, ctx.topic());
            put(h, DeadLetter.SOURCE_PARTITION, String.valueOf(ctx.partition()));
            put(h, DeadLetter.SOURCE_OFFSET, String.valueOf(ctx.offset()));
            if (stream != null && !stream.isEmpty()) {
                put(h, DeadLetter.STREAM, stream);
            }
            if (seq >= 0) {
                put(h, DeadLetter.SEQ, String.valueOf(seq));
            }
            if (metrics != null) {
                if (labelInitTopic.equals(ctx.topic())) {
                    metrics.labelInit("invalid", reason.id());
                } else {
                    metrics.frame(reason.result(), reason.id());
                }
            }
            LOG.warn("dead-letter {} ({}): {}", reason.id(), ctx.topic(), detail);
            return List.of(rec);
        }

        private static void put(Headers h, String name, String value) {
            h.remove(name);
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Invalid input found by the processor, and any other failure of one record. */
    public static final class Processing extends Base implements ProcessingExceptionHandler {
        @Override
        public void configure(Map<String, ?> configs) {
            configureBase(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception exception) {
            InvalidInputException invalid = find(exception);
            byte[] key = ctx.sourceRawKey();
            byte[] value = ctx.sourceRawValue();
            if (invalid != null) {
                return Response.resume(deadLetter(
                        ctx,
                        key,
                        value,
                        invalid,
                        invalid.reason(),
                        invalid.getMessage(),
                        invalid.streamId(),
                        invalid.seq()));
            }
            LOG.error("processing error on " + ctx.topic() + "-" + ctx.partition() + "@" + ctx.offset(), exception);
            return Response.resume(deadLetter(
                    ctx,
                    key,
                    value,
                    exception,
                    InvalidReason.PROCESSING_ERROR,
                    exception.getClass().getSimpleName() + ": " + exception.getMessage(),
                    record == null || record.key() == null ? null : record.key().toString(),
                    -1));
        }

        private static InvalidInputException find(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException i) {
                    return i;
                }
            }
            return null;
        }
    }

    /** Bytes that are not a record of the topic's schema. */
    public static final class Deserialization extends Base implements DeserializationExceptionHandler {
        @Override
        public void configure(Map<String, ?> configs) {
            configureBase(configs);
        }

        @Override
        public Response handleError(
                ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            return Response.resume(deadLetter(
                    ctx,
                    record.key(),
                    record.value(),
                    exception,
                    InvalidReason.MALFORMED_RECORD,
                    "record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " (key " + key
                            + "): " + exception.getMessage(),
                    key,
                    -1));
        }
    }
}
