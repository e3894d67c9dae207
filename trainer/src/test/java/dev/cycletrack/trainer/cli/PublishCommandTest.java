package dev.cycletrack.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.trainer.publish.ModelAnnouncer;
import dev.cycletrack.trainer.publish.ModelStore;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandTest {

    @Test
    void copiesIntoTheStoreAndNeverOverwritesAVersion(@TempDir Path dir) throws Exception {
        Path model = randomModel(dir);
        ModelStore store = new ModelStore(dir.resolve("store"));
        ModelVersion record = store.add(model, "stfc3", null);
        Path copy = store.root().resolve(record.getVersion());
        assertTrue(Files.isRegularFile(copy.resolve("trunk.params")));
        // The digest the tracker checks before a swap.
        assertEquals(ModelArtifactDigest.of(copy), record.getSha256());
        assertEquals(copy.toUri().toString(), record.getUri());
        try (ModelArtifact loaded = ModelArtifact.load(copy)) {
            assertEquals(record.getVersion(), loaded.metadata().version());
        }
        long before = Files.getLastModifiedTime(copy.resolve("trunk.params")).toMillis();
        assertThrows(FileAlreadyExistsException.class, () -> store.add(model, "stfc3", null));
        assertEquals(
                before, Files.getLastModifiedTime(copy.resolve("trunk.params")).toMillis());
        store.add(model, "stfc3", "v2");
        assertTrue(Files.isDirectory(store.root().resolve("v2")));
    }

    @Test
    @Timeout(180)
    void announcesTheVersionOnTheModelsTopicOfARealBroker(@TempDir Path dir) throws Exception {
        Path model = randomModel(dir);
        ModelVersion record = new ModelStore(dir.resolve("store")).add(model, "stfc3", "v7");
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setCombined(true)
                        .build())
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            ModelAnnouncer.announce(bootstrap, "t.", record, Duration.ofSeconds(60));

            var topic = new TopicRegistry("t.").models();
            List<ConsumerRecord<String, ModelVersion>> got = new ArrayList<>();
            try (KafkaConsumer<String, ModelVersion> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.CLIENT_ID_CONFIG,
                            "publish-test-" + UUID.randomUUID()),
                    topic.keySerde().deserializer(),
                    topic.valueSerde().deserializer())) {
                TopicPartition p0 = new TopicPartition(topic.name(), 0);
                consumer.assign(List.of(p0));
                consumer.seekToBeginning(List.of(p0));
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (got.isEmpty() && System.nanoTime() < end) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
            }
            assertEquals(1, got.size(), "one announcement on " + topic.name());
            assertEquals("stfc3", got.get(0).key());
            assertEquals(record, got.get(0).value());
        }
    }

    @Test
    void anUnreachableBrokerFailsWithTheAddressInTheMessage(@TempDir Path dir) throws Exception {
        ModelVersion record = new ModelStore(dir.resolve("store")).add(randomModel(dir), "stfc3", "v1");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ModelAnnouncer.announce("localhost:1", "t.", record, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("localhost:1"), e.getMessage());
    }

    private static Path randomModel(Path dir) throws Exception {
        Path model = dir.resolve("model");
        try (ModelArtifact a = ModelArtifact.createRandom(3, PaddingMode.REFLECT)) {
            a.save(model);
        }
        return model;
    }
}
