package dev.cycletrack.stream.cli;

import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.stream.broker.EmbeddedBroker;
import dev.cycletrack.stream.broker.TopicSetup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack broker}: a standalone local KRaft broker. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a local single-node Kafka broker (KRaft) with Cycletrack's topics.",
            "For users without Kafka: broker + controller in one process, Cycletrack's topics created. Data stays under --data-dir across restarts. Stops on Ctrl-C."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Listener port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "runs/broker",
            description = "Folder of the broker's log (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--topic-prefix",
            defaultValue = TopicRegistry.DEFAULT_PREFIX,
            description = "Prefix of the topics to create (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic created.")
    int partitions;

    @Override
    public Integer call() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port);
        TopicSetup.ensure(broker.bootstrapServers(), new TopicRegistry(prefix), partitions);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }));
        System.err.println(
                "broker running on " + broker.bootstrapServers() + " (data in " + dataDir + "); Ctrl-C stops it");
        stop.await();
        return 0;
    }

    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new BrokerCommand();
        }
    }
}
