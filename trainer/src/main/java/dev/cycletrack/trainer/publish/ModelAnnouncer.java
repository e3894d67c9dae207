package dev.cycletrack.trainer.publish;

import dev.cycletrack.schemas.Topic;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.ModelVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Announces a model version on the models topic, keyed by the model's name; every running tracker
 * follows that topic and swaps the version in (or rolls back to it) between two frames.
 */
public final class ModelAnnouncer {

    private ModelAnnouncer() {}

    /** Sends {@code version} and waits until the broker has acknowledged it. */
    public static RecordMetadata announce(
            String bootstrapServers, String topicPrefix, ModelVersion version, Duration timeout)
            throws InterruptedException {
        Topic<String, ModelVersion> topic = new TopicRegistry(topicPrefix).models();
        int requestMs = (int) Math.min(30_000, Math.max(1000, timeout.toMillis()));
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.CLIENT_ID_CONFIG,
                "cycletrack-publish",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                timeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                requestMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.max(timeout.toMillis(), requestMs));
        try (KafkaProducer<String, ModelVersion> producer = new KafkaProducer<>(
                props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), version.getName(), version))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not announce " + version.getName() + " " + version.getVersion() + " on " + topic.name()
                            + " at " + bootstrapServers + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (KafkaException e) {
            // Metadata timeouts and the like surface from send() itself.
            throw new IllegalStateException(
                    "could not announce " + version.getName() + " " + version.getVersion() + " on " + topic.name()
                            + " at " + bootstrapServers + ": " + e.getMessage(),
                    e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not announce " + version.getName() + " " + version.getVersion()
                    + " on " + topic.name() + " at " + bootstrapServers + " within " + timeout.toSeconds() + " s");
        }
    }
}
