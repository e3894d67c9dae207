package dev.cycletrack.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.trainer.publish.ModelAnnouncer;
import dev.cycletrack.trainer.publish.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cycletrack publish}: adds a model version to the store and announces it to the trackers. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Copies a model artifact into a model store (a local or shared folder) as STORE/<version>/,",
            "after checking that it loads. A version that exists in the store is never overwritten.",
            "With --bootstrap-servers, announces the ModelVersion record (name, version, uri, sha256,",
            "metrics) on the models topic, where every running tracker picks it up between two frames.",
            "The record is printed as JSON and written as STORE/<version>.model-version.json."
        })
public final class PublishCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model artifact directory.")
    Path model;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description = "Model store folder (default: ${DEFAULT-VALUE}).",
            defaultValue = "models/store")
    Path store;

    @Option(names = "--name", description = "Model name in the record (default ${DEFAULT-VALUE}).")
    String name = "stfc3";

    @Option(names = "--version-name", description = "Store under this version instead of the one in model.json.")
    String version;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka to announce the version on; without it the version is only stored.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Topic name prefix of the trackers (default ${DEFAULT-VALUE}).")
    String topicPrefix = TopicRegistry.DEFAULT_PREFIX;

    @Option(
            names = "--timeout-s",
            description = "How long to wait for the broker's acknowledgement (default ${DEFAULT-VALUE}).")
    long timeoutS = 30;

    @Override
    public Integer call() throws Exception {
        ModelVersion record = new ModelStore(store).add(model, name, version);
        String json = JSON.writeValueAsString(toJson(record));
        Files.writeString(store.resolve(record.getVersion() + ".model-version.json"), json + "\n");
        System.out.println(json);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            System.err.println("stored as " + record.getUri() + "; not announced (no --bootstrap-servers)");
            return 0;
        }
        RecordMetadata at =
                ModelAnnouncer.announce(bootstrapServers, topicPrefix, record, Duration.ofSeconds(timeoutS));
        System.err.println("stored as " + record.getUri() + "; announced on " + at.topic() + " (partition "
                + at.partition() + ", offset " + at.offset() + ")");
        return 0;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The record as JSON, field names as in the schema. */
    static ObjectNode toJson(ModelVersion v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", v.getName());
        o.put("version", v.getVersion());
        o.put("uri", v.getUri());
        o.put("sha256", v.getSha256());
        o.put("created_ms", v.getCreatedMs());
        o.set("metrics", JSON.valueToTree(new java.util.TreeMap<>(v.getMetricsMap())));
        return o;
    }

    /** Registers {@code publish} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new PublishCommand();
        }
    }
}
