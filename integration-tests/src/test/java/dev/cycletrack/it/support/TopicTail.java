package dev.cycletrack.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic from the beginning (all partitions, no consumer group) in a background thread and
 * keeps every record with the wall-clock time it arrived, so a test can send and read at once.
 * {@code readCommitted}: isolation.level=read_committed, as an exactly-once consumer reads.
 */
public final class TopicTail<K, V> implements AutoCloseable {

    /** A record and when this reader got it (µs since the epoch). */
    public record Received<K, V>(ConsumerRecord<K, V> record, long receivedUs) {
        public K key() {
            return record.key();
        }

        public V value() {
            return record.value();
        }
    }

    private final String topic;
    private final KafkaConsumer<K, V> consumer;
    private final List<Received<K, V>> records = new ArrayList<>();
    private final List<TopicPartition> partitions;
    private final Thread thread;
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile Throwable failure;
    private volatile boolean running = true;

    public TopicTail(
            String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values, boolean readCommitted) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "it-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        consumer = new KafkaConsumer<>(p, keys, values);
        partitions = new ArrayList<>();
        for (var info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "it-tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var batch = consumer.poll(Duration.ofMillis(100));
                long now = Clock.nowMicros();
                Map<TopicPartition, Long> pos = new java.util.HashMap<>();
                for (TopicPartition tp : partitions) {
                    pos.put(tp, consumer.position(tp));
                }
                synchronized (records) {
                    for (ConsumerRecord<K, V> r : batch) {
                        records.add(new Received<>(r, now));
                    }
                }
                positions = pos;
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close();
        }
    }

    public String topic() {
        return topic;
    }

    /** Every record read so far, in arrival order. */
    public List<Received<K, V>> all() {
        check();
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    public List<Received<K, V>> matching(Predicate<Received<K, V>> p) {
        return all().stream().filter(p).toList();
    }

    public int size() {
        check();
        synchronized (records) {
            return records.size();
        }
    }

    /**
     * True once this reader has read up to {@code endOffsets} (the topic's end when it was taken, or the
     * last stable offset for a read_committed reader): nothing written before then is still to come.
     */
    public boolean reached(Map<TopicPartition, Long> endOffsets) {
        check();
        Map<TopicPartition, Long> pos = positions;
        for (var e : endOffsets.entrySet()) {
            Long p = pos.get(e.getKey());
            if (p == null || p < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void check() {
        if (failure != null) {
            throw new AssertionError("reader of " + topic + " failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
