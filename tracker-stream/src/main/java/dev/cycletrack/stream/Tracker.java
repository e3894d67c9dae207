package dev.cycletrack.stream;

import dev.cycletrack.stream.broker.EmbeddedBroker;
import dev.cycletrack.stream.broker.TopicSetup;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.EncoderService;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.encoder.ModelSwapper;
import dev.cycletrack.stream.encoder.ModelWatcher;
import dev.cycletrack.stream.metrics.MetricsServer;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import dev.cycletrack.stream.processor.DeadLetterHandlers;
import dev.cycletrack.stream.processor.TrackerTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A running tracker: (optionally) the embedded broker, the topics, the encoder service with its model
 * swapper and models-topic watcher, the Kafka Streams application and the /metrics endpoint.
 */
public final class Tracker implements AutoCloseable {

    /** How to run. {@code bootstrap} null = start the embedded broker on {@code brokerPort}. */
    public record Options(
            String bootstrap,
            int brokerPort,
            Path dataDir,
            String applicationId,
            int threads,
            String processingGuarantee,
            String model,
            int partitions,
            TrackerConfig config) {}

    private final EmbeddedBroker broker;
    private final String bootstrap;
    private final TrackerMetrics metrics;
    private final EncoderService service;
    private final ModelSwapper swapper;
    private final ModelWatcher watcher;
    private final KafkaStreams streams;
    private final MetricsServer http;
    private final KafkaStreamsMetrics streamsMetrics;
    private final String applicationId;

    private Tracker(Options o, LoadedModel model) throws IOException {
        EmbeddedBroker b = null;
        if (o.bootstrap() == null || o.bootstrap().isBlank()) {
            b = EmbeddedBroker.start(o.dataDir().resolve("broker"), o.brokerPort());
        }
        broker = b;
        bootstrap = b != null ? b.bootstrapServers() : o.bootstrap();
        TrackerConfig config = o.config();
        TopicSetup.ensure(bootstrap, config.topics(), o.partitions());
        metrics = new TrackerMetrics();
        service = new EncoderService(
                model,
                config.batchSize(),
                config.batchWait(),
                config.effectiveEncoderWorkers(model.encoder().prefersBatches()),
                metrics);
        swapper = new ModelSwapper(service, metrics);
        applicationId = o.applicationId();
        Properties p = TrackerTopology.streamsProperties(applicationId, config, metrics);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                o.dataDir().resolve("state").toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, o.processingGuarantee());
        p.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                StreamsConfig.EXACTLY_ONCE_V2.equals(o.processingGuarantee()) ? 100 : 1000);
        // Live video: send labels at once, do not wait to fill batches.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        p.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), 50);
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 50);
        p.put(StreamsConfig.consumerPrefix("max.poll.interval.ms"), 600_000);
        streams = new KafkaStreams(TrackerTopology.build(config, service, metrics), p);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics.registry());
        streams.start();
        watcher = new ModelWatcher(bootstrap, config.topics().models(), swapper);
        http = config.httpPort() >= 0
                ? new MetricsServer(
                        config.httpPort(), metrics, () -> streams.state().toString())
                : null;
    }

    public static Tracker start(Options o, LoadedModel model) throws IOException {
        return new Tracker(o, model);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public TrackerMetrics metrics() {
        return metrics;
    }

    public EncoderService encoder() {
        return service;
    }

    public ModelSwapper swapper() {
        return swapper;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The /metrics port, or -1 when not serving. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Waits until the Streams application is RUNNING (it has its partitions). */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(
                        "the tracker did not reach RUNNING within " + timeout + " (state " + streams.state() + ")");
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the tracker stopped: state " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        watcher.close();
        // Leave the group at once, so another instance takes the streams over without waiting for a session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        swapper.close();
        service.close();
        DeadLetterHandlers.unregister(applicationId);
        if (broker != null) {
            broker.close();
        }
    }
}
