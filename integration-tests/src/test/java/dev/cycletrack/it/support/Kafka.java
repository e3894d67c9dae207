package dev.cycletrack.it.support;

import dev.cycletrack.schemas.ProtoSerde;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/** Small Kafka client chores of the tests. */
public final class Kafka {

    private Kafka() {}

    /** The end of every partition of a topic now (the last stable offset for read_committed readers). */
    public static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic, boolean readCommitted)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int n = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            for (int p = 0; p < n; p++) {
                req.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var res = admin.listOffsets(
                            req,
                            new ListOffsetsOptions(
                                    readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            res.forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** The labels topic, read from its beginning. */
    public static TopicTail<FrameKey, FrameLabels> labels(String bootstrap, TopicRegistry topics, boolean committed) {
        return new TopicTail<>(
                bootstrap,
                topics.labels().name(),
                topics.labels().keySerde().deserializer(),
                topics.labels().valueSerde().deserializer(),
                committed);
    }

    /** The dead-letter topic as raw bytes, read from its beginning. */
    public static TopicTail<byte[], byte[]> deadLetters(String bootstrap, TopicRegistry topics) {
        return new TopicTail<>(
                bootstrap, topics.deadLetter().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), false);
    }

    /** A producer of raw bytes, for records no serde would write. */
    public static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends raw bytes with the schema header a Cycletrack serde would write, and waits for the ack. */
    public static void sendRaw(
            KafkaProducer<byte[], byte[]> producer, String topic, String key, String schema, byte[] value)
            throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        if (schema != null) {
            r.headers().add(ProtoSerde.SCHEMA_HEADER, schema.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(r).get(30, TimeUnit.SECONDS);
    }

    /** The partition Kafka's default partitioner gives a stream id's records. */
    public static int partitionOf(String streamId, int partitions) {
        return Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
