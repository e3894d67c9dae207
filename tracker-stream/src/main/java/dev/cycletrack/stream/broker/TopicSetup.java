package dev.cycletrack.stream.broker;

import dev.cycletrack.schemas.Topic;
import dev.cycletrack.schemas.TopicRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Cycletrack's topics when they are missing: frames and label-init with the same number of
 * partitions (they are joined per stream), models compacted, everything allowing large records.
 */
public final class TopicSetup {

    private TopicSetup() {}

    public static void ensure(String bootstrap, TopicRegistry topics, int partitions) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> create = new ArrayList<>();
            for (Topic<?, ?> t : topics.all()) {
                if (existing.contains(t.name())) {
                    continue;
                }
                NewTopic nt = new NewTopic(t.name(), partitions, (short) 1);
                if (t.name().equals(topics.models().name())) {
                    nt = new NewTopic(t.name(), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "1048576"));
                } else {
                    nt = nt.configs(Map.of("max.message.bytes", String.valueOf(32 << 20)));
                }
                create.add(nt);
            }
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> d = describe(
                    admin, List.of(topics.frames().name(), topics.labelInit().name()));
            int f = d.get(topics.frames().name()).partitions().size();
            int i = d.get(topics.labelInit().name()).partitions().size();
            if (f != i) {
                throw new IllegalStateException("topics " + topics.frames().name() + " (" + f + " partitions) and "
                        + topics.labelInit().name() + " (" + i + ") must have the same number of partitions");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create Cycletrack's topics on " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    /**
     * Describes topics. A topic created a moment ago can still be unknown to the broker that answers (topic
     * metadata reaches the brokers asynchronously), so UnknownTopicOrPartition is retried for up to 30 s.
     */
    static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
