package dev.cycletrack.stream.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka broker (broker + controller) in this JVM, with its log under a local
 * folder: what {@code track} starts when no bootstrap servers are given, and what {@code broker}
 * runs standalone. A folder formatted before is reused, so topics and offsets survive restarts.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;
    private final Path dir;

    private EmbeddedBroker(KafkaRaftServer server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a broker on {@code port} (0 = a free port) with its data under {@code dir}. */
    public static EmbeddedBroker start(Path dir, int port) throws IOException {
        Path logDir = dir.toAbsolutePath().resolve("kraft-log");
        Files.createDirectories(logDir);
        int p = port == 0 ? freePort() : port;
        int controller = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controller);
        props.put("listeners", "PLAINTEXT://localhost:" + p + ",CONTROLLER://localhost:" + controller);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + p);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        props.put("message.max.bytes", String.valueOf(32 << 20));
        props.put("replica.fetch.max.bytes", String.valueOf(32 << 20));
        props.put("log.retention.hours", "24");
        props.put("auto.create.topics.enable", "true");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            try {
                new Formatter()
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .run();
            } catch (Exception e) {
                throw new IOException("cannot format the broker's log folder " + logDir + ": " + e.getMessage(), e);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedBroker(server, p, dir);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path dir() {
        return dir;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
