package dev.cycletrack.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandTest {

    @Test
    void copiesIntoTheStoreAndNeverOverwritesAVersion(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        try (ModelArtifact a = ModelArtifact.createRandom(3, PaddingMode.REFLECT)) {
            a.save(model);
        }
        Path store = dir.resolve("store");
        ObjectNode record = PublishCommand.publish(model, store, "stfc3", null);
        String version = record.get("version").asText();
        assertTrue(Files.isRegularFile(store.resolve(version).resolve("trunk.params")));
        assertEquals(64, record.get("sha256").asText().length());
        try (ModelArtifact copy = ModelArtifact.load(store.resolve(version))) {
            assertEquals(version, copy.metadata().version());
        }
        long before = Files.getLastModifiedTime(store.resolve(version).resolve("trunk.params"))
                .toMillis();
        assertThrows(FileAlreadyExistsException.class, () -> PublishCommand.publish(model, store, "stfc3", null));
        assertEquals(
                before,
                Files.getLastModifiedTime(store.resolve(version).resolve("trunk.params"))
                        .toMillis());
        PublishCommand.publish(model, store, "stfc3", "v2");
        assertTrue(Files.isDirectory(store.resolve("v2")));
    }
}
