package dev.cycletrack.stream.cli;

import dev.cycletrack.schemas.TopicRegistry;
import picocli.CommandLine.Option;

/** Options every client command shares. */
public final class CommonOptions {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description =
                    "Kafka bootstrap servers (default ${DEFAULT-VALUE}: `cycletrack track` or `cycletrack broker`).")
    String bootstrap;

    @Option(
            names = "--topic-prefix",
            defaultValue = TopicRegistry.DEFAULT_PREFIX,
            description = "Prefix of Cycletrack's topic names (default ${DEFAULT-VALUE}).")
    String topicPrefix;

    TopicRegistry topics() {
        return new TopicRegistry(topicPrefix);
    }
}
