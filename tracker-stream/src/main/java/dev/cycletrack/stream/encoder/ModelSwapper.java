package dev.cycletrack.stream.encoder;

import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.schemas.ModelArtifactDigest;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads announced model versions in the background and swaps them into the {@link EncoderService}.
 * A version is checked before it serves: the announced SHA-256 against the artifact's
 * {@code checksums.sha256}, every file against its checksum and the parameters against the
 * architecture ({@link ModelArtifact#load}), then a smoke inference (finite, unit-norm features of
 * the expected shape). A version that fails any check is rejected with an error and the
 * {@code cycletrack_model_swaps_total{result="failed"}} metric; the current model keeps serving.
 * The version announced last wins, whatever its number: announcing an older one rolls back.
 */
public final class ModelSwapper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSwapper.class);

    private final EncoderService service;
    private final TrackerMetrics metrics;
    private final ExecutorService loader;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public ModelSwapper(EncoderService service, TrackerMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
        this.loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cycletrack-model-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads and swaps in the announced version in the background; the future says how it went. */
    public CompletableFuture<Boolean> announce(ModelVersion announced) {
        return CompletableFuture.supplyAsync(() -> load(announced), loader);
    }

    /** The last rejection's message, or null. */
    public String lastError() {
        return lastError.get();
    }

    private boolean load(ModelVersion mv) {
        LoadedModel cur = service.current();
        if (cur != null
                && cur.version().equals(mv.getVersion())
                && cur.name().equals(mv.getName())
                && cur.sha256().equalsIgnoreCase(mv.getSha256())) {
            LOG.info("model {} {} is already in use", mv.getName(), mv.getVersion());
            return true;
        }
        Encoder encoder = null;
        try {
            Path dir = resolve(mv.getUri());
            if (mv.getSha256().isBlank()) {
                throw new IllegalArgumentException("the announcement carries no sha256");
            }
            String digest = ModelArtifactDigest.of(dir);
            if (!digest.equalsIgnoreCase(mv.getSha256().trim())) {
                throw new IllegalArgumentException("sha256 of " + dir.resolve(ModelArtifactDigest.CHECKSUM_FILE)
                        + " is " + digest + " but the announcement says " + mv.getSha256());
            }
            try (ModelArtifact artifact = ModelArtifact.load(dir)) {
                encoder = artifact.encoder();
            }
            smokeTest(encoder);
            service.swap(new LoadedModel(mv.getName(), mv.getVersion(), digest, encoder));
            metrics.swap("ok");
            lastError.set(null);
            LOG.warn("model {} {} is now serving (from {})", mv.getName(), mv.getVersion(), dir);
            return true;
        } catch (Exception | LinkageError e) {
            if (encoder != null) {
                encoder.close();
            }
            String msg = "model " + mv.getName() + " " + mv.getVersion() + " (" + mv.getUri() + ") rejected: "
                    + e.getMessage() + "; " + (cur == null ? "no model" : cur) + " keeps serving";
            lastError.set(msg);
            metrics.swap("failed");
            LOG.error(msg);
            return false;
        }
    }

    /** A plain path or a file: URI. */
    static Path resolve(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("the announcement carries no uri");
        }
        Path p = uri.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(p + " is not a model artifact directory");
        }
        return p;
    }

    /** One inference on a fixed 64x64 pattern: features must be finite and unit length per cell. */
    static void smokeTest(Encoder encoder) {
        int w = 64;
        int h = 64;
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) ((i * 31) % 251);
        }
        FeatureMap f = encoder.encode(new RgbImage(w, h, rgb));
        if (f.channels() != encoder.channels()) {
            throw new IllegalStateException(
                    "smoke inference gave " + f.channels() + " channels, expected " + encoder.channels());
        }
        float[] d = f.data();
        for (int n = 0; n < f.nodes(); n++) {
            double s = 0;
            for (int c = 0; c < f.channels(); c++) {
                float v = d[n * f.channels() + c];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("smoke inference gave a non-finite feature value");
                }
                s += v * v;
            }
            if (Math.abs(s - 1) > 1e-3 && s > 1e-12) {
                throw new IllegalStateException("smoke inference gave a feature of norm " + Math.sqrt(s));
            }
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
