package dev.cycletrack.stream.encoder;

import dev.cycletrack.schemas.Topic;
import dev.cycletrack.schemas.v1.ModelVersion;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic (every tracker instance reads all of it: no consumer group). On start it
 * reads the topic from the beginning and announces only the last version found, then every new one.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final KafkaConsumer<String, ModelVersion> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public ModelWatcher(String bootstrap, Topic<String, ModelVersion> topic, ModelSwapper swapper) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cycletrack-models-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(
                p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        thread = new Thread(
                () -> {
                    try {
                        List<TopicPartition> parts =
                                consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                                        .toList();
                        consumer.assign(parts);
                        consumer.seekToBeginning(parts);
                        var end = consumer.endOffsets(parts);
                        ModelVersion last = null;
                        boolean caughtUp = false;
                        while (running) {
                            for (ConsumerRecord<String, ModelVersion> r : consumer.poll(Duration.ofMillis(500))) {
                                if (r.value() == null) {
                                    continue;
                                }
                                if (caughtUp) {
                                    LOG.warn(
                                            "model announced: {} {}",
                                            r.value().getName(),
                                            r.value().getVersion());
                                    swapper.announce(r.value());
                                } else {
                                    last = r.value();
                                }
                            }
                            if (!caughtUp && parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                                caughtUp = true;
                                if (last != null) {
                                    LOG.warn(
                                            "latest model on {}: {} {}",
                                            topic.name(),
                                            last.getName(),
                                            last.getVersion());
                                    swapper.announce(last);
                                }
                            }
                        }
                    } catch (WakeupException e) {
                        // closing
                    } catch (RuntimeException e) {
                        LOG.error("model watcher stopped: " + e.getMessage(), e);
                    } finally {
                        consumer.close();
                    }
                },
                "cycletrack-model-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
