package dev.cycletrack.stream.encoder;

import dev.cycletrack.core.encoder.Encoder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model version ready to encode: its encoder and what names it. Reference counted: frames pin the
 * version they started with ({@link #acquire}/{@link #release}), so a swap never changes the model
 * under a frame, and a retired version's native memory is freed when its last frame is done.
 */
public final class LoadedModel {

    private final String name;
    private final String version;
    private final String sha256;
    private final Encoder encoder;
    private final AtomicInteger refs = new AtomicInteger(1); // the service's own reference
    private volatile boolean closed;

    public LoadedModel(String name, String version, String sha256, Encoder encoder) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.sha256 = sha256 == null ? "" : sha256;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public Encoder encoder() {
        return encoder;
    }

    /** Takes a reference; false when the model is already closed. */
    boolean tryAcquire() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the encoder. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            closed = true;
            encoder.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
