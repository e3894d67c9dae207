package dev.cycletrack.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.cli.CommandProvider;
import dev.cycletrack.core.encoder.ModelArtifact;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cycletrack publish}: the model-store half of publishing. Announcing the ModelVersion record on
 * the models topic needs the Kafka schema module, which is not part of this build yet: the record is
 * printed (and written beside the copy) instead.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Copies a model artifact into a model store (a local or shared folder) as STORE/<version>/,",
            "after checking that it loads. A version that exists in the store is never overwritten.",
            "Prints the ModelVersion record (name, version, uri, sha256, metrics) and writes it as",
            "STORE/<version>/model-version.json. Announcing it on the models topic is not implemented",
            "in this build (it needs the Kafka ModelVersion schema)."
        })
public final class PublishCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model artifact directory.")
    Path model;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Model store folder.")
    Path store;

    @Option(names = "--name", description = "Model name in the record (default ${DEFAULT-VALUE}).")
    String name = "stfc3";

    @Option(names = "--version-name", description = "Store under this version instead of the one in model.json.")
    String version;

    @Override
    public Integer call() throws Exception {
        ObjectNode record = publish(model, store, name, version);
        System.out.println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record));
        System.err.println("copied to " + record.get("uri").asText()
                + "; not announced on Kafka (ModelVersion schema not in this build)");
        return 0;
    }

    /** Copies the artifact; returns the ModelVersion record. */
    public static ObjectNode publish(Path model, Path store, String name, String version)
            throws IOException, dev.cycletrack.core.encoder.ModelArtifactException {
        String v;
        Map<String, Double> metrics;
        try (ModelArtifact a = ModelArtifact.load(model)) {
            v = version != null ? version : a.metadata().version();
            metrics = a.metadata().evaluation();
        }
        if (!v.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "version '" + v + "' is not usable as a folder name (letters, digits, . _ -)");
        }
        Files.createDirectories(store);
        Path target = store.resolve(v);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(),
                    null,
                    "version " + v + " is already in the store; a version is never overwritten");
        }
        Path tmp = Files.createTempDirectory(store, "." + v + ".tmp-");
        try {
            for (String f :
                    List.of(ModelArtifact.PARAMETERS_FILE, ModelArtifact.METADATA_FILE, ModelArtifact.CHECKSUM_FILE)) {
                Files.copy(model.resolve(f), tmp.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
            }
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode record = json.createObjectNode();
            record.put("name", name);
            record.put("version", v);
            record.put("uri", target.toAbsolutePath().toUri().toString());
            record.put("sha256", sha256(tmp.resolve(ModelArtifact.PARAMETERS_FILE)));
            record.set("metrics", json.valueToTree(metrics));
            json.writeValue(tmp.resolve("model-version.json").toFile(), record);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                throw new FileAlreadyExistsException(
                        target.toString(),
                        null,
                        "version " + v + " appeared in the store" + " meanwhile; not overwritten");
            }
            return record;
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers {@code publish} with the launcher. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command() {
            return new PublishCommand();
        }
    }
}
