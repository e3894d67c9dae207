package dev.cycletrack.stream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot swap: checked loads, rejection of corrupt or mismatched artifacts, rollback, batching. */
class ModelSwapperTest {

    @Test
    void swapsCheckedVersionsRejectsBadOnesAndRollsBack(@TempDir Path tmp) throws Exception {
        Path v1 = tmp.resolve("v1");
        Path v2 = tmp.resolve("v2");
        try (ModelArtifact a = ModelArtifact.createRandom(1, PaddingMode.REFLECT);
                ModelArtifact b = ModelArtifact.createRandom(2, PaddingMode.REFLECT)) {
            a.save(v1);
            b.save(v2);
        }
        Path corrupt = tmp.resolve("corrupt");
        Files.createDirectories(corrupt);
        for (String f :
                List.of(ModelArtifact.PARAMETERS_FILE, ModelArtifact.METADATA_FILE, ModelArtifact.CHECKSUM_FILE)) {
            Files.copy(v2.resolve(f), corrupt.resolve(f));
        }
        byte[] params = Files.readAllBytes(corrupt.resolve(ModelArtifact.PARAMETERS_FILE));
        params[params.length / 2] ^= 0x5a;
        Files.write(corrupt.resolve(ModelArtifact.PARAMETERS_FILE), params);

        TrackerMetrics metrics = new TrackerMetrics();
        try (EncoderService service = new EncoderService(Models.random(), 4, Duration.ofMillis(1), metrics);
                ModelSwapper swapper = new ModelSwapper(service, metrics)) {
            assertTrue(announce(swapper, "1", v1, ModelArtifactDigest.of(v1)));
            assertEquals("1", service.current().version());
            assertTrue(announce(swapper, "2", v2, ModelArtifactDigest.of(v2)));
            assertEquals("2", service.current().version());
            // The digest matches the checksum file, but a parameter byte was flipped: load refuses it.
            assertFalse(announce(swapper, "3", corrupt, ModelArtifactDigest.of(corrupt)));
            assertTrue(swapper.lastError().contains("checksum mismatch"), swapper.lastError());
            // A digest that is not the artifact's.
            assertFalse(announce(swapper, "4", v1, "00".repeat(32)));
            assertTrue(swapper.lastError().contains("announcement says"), swapper.lastError());
            assertFalse(announce(swapper, "5", tmp.resolve("missing"), "ab"));
            assertEquals("2", service.current().version(), "the running version keeps serving");
            assertEquals(3, metrics.swaps("failed"));
            // Announcing an older version rolls back.
            assertTrue(announce(swapper, "1", v1, ModelArtifactDigest.of(v1)));
            assertEquals("1", service.current().version());
            assertEquals(3, metrics.swaps("ok"));
            assertTrue(metrics.scrape().contains("cycletrack_model_info{version=\"1\"} 1"), metrics.scrape());

            // A frame pinned to a version keeps it across a swap; the old encoder is closed after release.
            LoadedModel pinned = service.acquireCurrent();
            assertTrue(announce(swapper, "2", v2, ModelArtifactDigest.of(v2)));
            assertFalse(pinned.isClosed());
            RgbImage img = new RgbImage(32, 32, new byte[32 * 32 * 3]);
            assertEquals(256, service.encode(pinned, img).channels());
            pinned.release();
            assertTrue(pinned.isClosed());
        }
    }

    @Test
    void framesOfSeveralThreadsAreBatchedAndEqualOneByOneExactly() throws Exception {
        TrackerMetrics metrics = new TrackerMetrics();
        try (EncoderService service = new EncoderService(Models.random(), 8, Duration.ofMillis(200), metrics)) {
            encodeConcurrentlyAndCompare(service, 4);
            var batches =
                    metrics.registry().find("cycletrack.encoder.batch.frames").summary();
            assertTrue(batches.max() > 1, "some frames were encoded together, max batch " + batches.max());
        }
    }

    @Test
    void severalWorkersEncodeInParallelAndEqualOneByOneExactly() throws Exception {
        TrackerMetrics metrics = new TrackerMetrics();
        try (EncoderService service = new EncoderService(Models.random(), 8, Duration.ofMillis(5), 2, metrics)) {
            encodeConcurrentlyAndCompare(service, 6);
        }
    }

    /** {@code threads} callers encode different frames at once; each result equals a lone forward. */
    private static void encodeConcurrentlyAndCompare(EncoderService service, int threads) throws Exception {
        LoadedModel m = service.acquireCurrent();
        RgbImage[] images = new RgbImage[threads];
        for (int t = 0; t < threads; t++) {
            byte[] rgb = new byte[48 * 48 * 3];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) (i * (t + 3));
            }
            images[t] = new RgbImage(48, 48, rgb);
        }
        float[][] together = new float[threads][];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int k = t;
            ts[t] = new Thread(() -> together[k] = service.encode(m, images[k]).data());
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        for (int t = 0; t < threads; t++) {
            float[] alone = m.encoder().encode(images[t]).data();
            assertArrayEquals(alone, together[t], "frame " + t + " differs from its lone forward pass");
        }
        m.release();
    }

    private static boolean announce(ModelSwapper swapper, String version, Path dir, String sha) throws Exception {
        return swapper.announce(ModelVersion.newBuilder()
                        .setName("stfc3")
                        .setVersion(version)
                        .setUri(dir.toUri().toString())
                        .setSha256(sha)
                        .build())
                .get(120, TimeUnit.SECONDS);
    }
}
