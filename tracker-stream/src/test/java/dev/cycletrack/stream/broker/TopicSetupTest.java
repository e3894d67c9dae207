package dev.cycletrack.stream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cycletrack.schemas.TopicRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Topic setup on a real KRaft broker: several applications creating their topics at once all succeed,
 * although each describes its topics right after creating them, before their metadata has necessarily
 * reached the broker (that used to fail with UnknownTopicOrPartitionException).
 */
class TopicSetupTest {

    @Test
    @Timeout(180)
    void topicsCreatedConcurrentlyAreDescribedOnceTheBrokerKnowsThem() throws Exception {
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TopicRegistry topics = new TopicRegistry("setup-" + i + ".");
                runs.add(pool.submit(() -> {
                    TopicSetup.ensure(bootstrap, topics, 3);
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                var d = admin.describeTopics(List.of("setup-7.frames", "setup-7.models"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertEquals(3, d.get("setup-7.frames").partitions().size());
                assertEquals(1, d.get("setup-7.models").partitions().size(), "the models topic has one partition");
            }
        }
    }
}
