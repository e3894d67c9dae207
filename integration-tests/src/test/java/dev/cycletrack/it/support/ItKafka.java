package dev.cycletrack.it.support;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real broker of an integration test: Testcontainers' Kafka where a Docker engine runs, otherwise a
 * single-node KRaft broker (broker + controller) started in this JVM from Kafka's own jars
 * ({@link KafkaClusterTestKit}). {@code -Dit.broker=kraft|testcontainers|auto} (default auto) chooses;
 * {@code -Dit.kafka.image} names the container image (default apache/kafka at the client version).
 */
public final class ItKafka implements AutoCloseable {

    /** Broker settings both kinds get: one replica everywhere, no initial rebalance delay. */
    private static final Map<String, String> SINGLE_NODE = Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "4",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "4",
            "group.initial.rebalance.delay.ms", "0");

    private static Boolean docker;

    private final KafkaClusterTestKit kraft;
    private final KafkaContainer container;
    private final String bootstrap;
    private final String kind;

    private ItKafka(KafkaClusterTestKit kraft, KafkaContainer container, String bootstrap, String kind) {
        this.kraft = kraft;
        this.container = container;
        this.bootstrap = bootstrap;
        this.kind = kind;
    }

    public static ItKafka start() throws Exception {
        String mode = System.getProperty("it.broker", "auto");
        boolean useContainer = mode.equals("testcontainers") || (mode.equals("auto") && dockerAvailable());
        return useContainer ? container() : kraft();
    }

    /** Whether a Docker engine answers (checked once per JVM: Testcontainers logs an error when none does). */
    public static synchronized boolean dockerAvailable() {
        if (docker == null) {
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | java.util.ServiceConfigurationError | LinkageError e) {
                docker = false;
            }
        }
        return docker;
    }

    public static ItKafka kraft() throws Exception {
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build());
        SINGLE_NODE.forEach(b::setConfigProp);
        KafkaClusterTestKit cluster = b.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new ItKafka(cluster, null, cluster.bootstrapServers(), "in-process KRaft broker (KafkaClusterTestKit)");
    }

    public static ItKafka container() {
        String image = System.getProperty("it.kafka.image", "apache/kafka:" + AppInfoParser.getVersion());
        KafkaContainer c = new KafkaContainer(image);
        SINGLE_NODE.forEach((k, v) -> c.withEnv("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
        c.start();
        return new ItKafka(null, c, c.getBootstrapServers(), "Testcontainers Kafka (" + image + ")");
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** What kind of broker this is, for the reports. */
    public String kind() {
        return kind;
    }

    @Override
    public void close() throws Exception {
        if (kraft != null) {
            kraft.close();
        }
        if (container != null) {
            container.stop();
        }
    }
}
