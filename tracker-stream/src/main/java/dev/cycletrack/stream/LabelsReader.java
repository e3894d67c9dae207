package dev.cycletrack.stream;

import dev.cycletrack.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic, all partitions, without a consumer group (what view, tail and demo use). */
public final class LabelsReader<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;

    public LabelsReader(String bootstrap, Topic<K, V> topic, boolean fromBeginning) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cycletrack-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        consumer = new KafkaConsumer<>(
                p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (var info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }
    }

    public List<ConsumerRecord<K, V>> poll(Duration timeout) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        consumer.poll(timeout).forEach(out::add);
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
