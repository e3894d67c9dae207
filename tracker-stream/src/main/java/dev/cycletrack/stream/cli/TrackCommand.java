package dev.cycletrack.stream.cli;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.stream.Tracker;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.encoder.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack track}: runs the streaming tracker. */
@Command(
        name = "track",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the streaming tracker (Kafka Streams), with an embedded broker if none is given.",
            "Labels every frame on the frames topic from its stream's LabelInit",
            "and writes FrameLabels to the labels topic; invalid input goes to the dead-letter topic.",
            "With no --bootstrap-servers it starts an embedded single-node KRaft broker (data under --data-dir)",
            "on --broker-port, so one machine needs nothing else. Serves Prometheus metrics on",
            "http://localhost:<http-port>/metrics. Stops on Ctrl-C."
        })
public final class TrackCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", description = "Kafka to use; none = start an embedded broker.")
    String bootstrap;

    @Option(
            names = "--broker-port",
            defaultValue = "9092",
            description = "Port of the embedded broker (default ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(
            names = "--data-dir",
            defaultValue = "runs/tracker",
            description = "Folder for the embedded broker's log and the state stores (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--application-id",
            defaultValue = "cycletrack-tracker",
            description = "Kafka Streams application.id: instances with the same id share the streams.")
    String applicationId;

    @Option(names = "--threads", defaultValue = "2", description = "Stream threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--processing-guarantee",
            defaultValue = "at_least_once",
            description = "at_least_once (default) or exactly_once_v2.")
    String guarantee;

    @Option(
            names = "--model",
            description =
                    "Model artifact directory, or 'random'; default: models/stfc3, else the newest under models/, else random.")
    String model;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of topics it creates.")
    int partitions;

    @Option(
            names = "--topic-prefix",
            defaultValue = TopicRegistry.DEFAULT_PREFIX,
            description = "Topic name prefix (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(
            names = "--max-frame-age-ms",
            defaultValue = "1000",
            description = "Skip frames older than this when their turn comes (0 = never; default ${DEFAULT-VALUE}).")
    long maxFrameAgeMs;

    @Option(names = "--catch-up", description = "Process every frame, however old.")
    boolean catchUp;

    @Option(
            names = "--idle-timeout-s",
            defaultValue = "600",
            description = "Evict streams idle this long (default ${DEFAULT-VALUE}).")
    long idleS;

    @Option(names = "--batch-size", defaultValue = "8", description = "Encoder batch limit B.")
    int batchSize;

    @Option(names = "--batch-wait-ms", defaultValue = "5", description = "Encoder batch wait W.")
    long batchWaitMs;

    @Option(
            names = "--encoder-workers",
            defaultValue = "0",
            description =
                    "Threads running encoder forward passes in parallel; 0 = one per core on the CPU, one on a GPU (default: ${DEFAULT-VALUE}).")
    int encoderWorkers;

    @Option(names = "--input-size", description = "Input size for every stream: native, short:N, square:N.")
    String inputSize;

    @Option(names = "--http-port", defaultValue = "9464", description = "/metrics port; -1 = none.")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        Tracker.Options o = new Tracker.Options(
                bootstrap,
                brokerPort,
                dataDir,
                applicationId,
                threads,
                guarantee,
                model,
                partitions,
                config(topicPrefix, maxFrameAgeMs, catchUp, idleS, batchSize, batchWaitMs, inputSize, httpPort)
                        .withEncoderWorkers(encoderWorkers));
        LoadedModel m = Models.initial(model);
        System.err.println("model: " + m + " (encoder: " + m.encoder().describeRuntime() + ")");
        System.err.println("propagation: " + Propagator.describeWindowed());
        Tracker tracker = Tracker.start(o, m);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tracker.close();
            stop.countDown();
        }));
        System.err.println("tracker running on " + tracker.bootstrapServers()
                + (tracker.httpPort() > 0 ? ", metrics on http://localhost:" + tracker.httpPort() + "/metrics" : "")
                + "; Ctrl-C stops it");
        stop.await();
        return 0;
    }

    static TrackerConfig config(
            String prefix,
            long maxAgeMs,
            boolean catchUp,
            long idleS,
            int batchSize,
            long waitMs,
            String inputSize,
            int httpPort) {
        TrackerConfig c = TrackerConfig.defaults()
                .withTopicPrefix(prefix)
                .withMaxFrameAge(Duration.ofMillis(maxAgeMs), catchUp)
                .withIdleTimeout(Duration.ofSeconds(idleS), Duration.ofSeconds(Math.max(1, Math.min(10, idleS / 4))))
                .withBatching(batchSize, Duration.ofMillis(waitMs))
                .withHttpPort(httpPort);
        if (inputSize != null && !inputSize.isBlank()) {
            c = c.withInputSize(InputSize.parse(inputSize));
        }
        return c;
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new TrackCommand();
        }
    }
}
