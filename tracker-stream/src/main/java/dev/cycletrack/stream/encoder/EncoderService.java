package dev.cycletrack.stream.encoder;

import dev.cycletrack.core.concurrent.ComputeThreads;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.EncoderRuntime;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One encoder shared by every stream thread of the tracker. Requests from all threads wait in one
 * queue; inference workers (grad mode off) take them in batches of up to B frames of one size and
 * one model version, waiting at most W after the first for others to arrive. A worker stops waiting
 * early when every thread that is inside {@link #encode} already has its frames in a batch, since
 * nobody else can add one.
 *
 * <p>On a GPU ({@link Encoder#prefersBatches}) a batch goes through one forward. On the CPU each frame
 * of a batch gets its own forward pass.
 * Measured on the 2-core machine: a forward of 2 frames at 320x320 cost 83 ms per frame against 86 ms
 * for single frames, so batching buys the CPU little, while one forward per frame makes every frame's
 * features bit-identical to an offline run of the same frame, whatever else was queued with it
 * (batched convolutions differ in the last bits). Several workers ({@code cycletrack.encoder.workers},
 * the tracker's default: one per core) run forwards in parallel, each taking one frame at a time with
 * its share of PyTorch's intra-op threads: on the 2-core machine, 2 streams at 5 frames/s each were
 * labelled at 6.6 frames/s with two single-threaded workers against 4.2 with one two-threaded worker,
 * and below capacity the Kafka overhead fell from 186 to 39 ms (two OpenMP threads spinning on both
 * cores starve the Kafka threads). On a GPU the tracker's default is one worker, which gathers the
 * batches.
 *
 * <p>The current model is swapped with {@link #swap}: a frame pins the version it started with
 * ({@link #acquireCurrent}), so the swap lands between two frames of every stream.
 */
public final class EncoderService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EncoderService.class);

    private record Request(LoadedModel model, RgbImage image, Thread caller, CompletableFuture<FeatureMap> result) {
        boolean fits(Request first) {
            return model == first.model
                    && image.width() == first.image.width()
                    && image.height() == first.image.height();
        }
    }

    private final int maxBatch;
    private final long maxWaitNanos;
    private final TrackerMetrics metrics;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final AtomicInteger callersInside = new AtomicInteger();
    private final Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    /** A service with one inference worker. */
    public EncoderService(LoadedModel initial, int maxBatch, Duration maxWait, TrackerMetrics metrics) {
        this(initial, maxBatch, maxWait, 1, metrics);
    }

    /**
     * A service with {@code workerCount} inference workers. With more than one, PyTorch's intra-op
     * threads (a process-wide setting) are set to cores / workers so the workers do not oversubscribe
     * the cores.
     */
    public EncoderService(
            LoadedModel initial, int maxBatch, Duration maxWait, int workerCount, TrackerMetrics metrics) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
        }
        if (workerCount < 1) {
            throw new IllegalArgumentException("encoder workers must be >= 1, got " + workerCount);
        }
        // Several workers share out the frames one by one: a batch gathered by one worker would leave
        // the others idle while its frames are encoded in turn.
        this.maxBatch = workerCount > 1 ? 1 : maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.metrics = metrics;
        current.set(initial);
        metrics.modelInUse(initial.version());
        if (workerCount > 1) {
            setIntraOpThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / workerCount));
        }
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::run, "cycletrack-encoder-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** The model version new frames use now. */
    public LoadedModel current() {
        return current.get();
    }

    /** Pins the current model for one frame; {@link LoadedModel#release} it when the frame is done. */
    public LoadedModel acquireCurrent() {
        while (true) {
            LoadedModel m = current.get();
            if (m.tryAcquire()) {
                return m;
            }
        }
    }

    /** Makes {@code next} the current model; the old one is freed when its last frame is done. */
    public void swap(LoadedModel next) {
        LoadedModel old = current.getAndSet(next);
        metrics.modelInUse(next.version());
        if (old != null && old != next) {
            old.release();
        }
        LOG.info("model swapped: {} -> {}", old, next);
    }

    /** Encodes images of one size with a pinned model; blocks until done. Order is kept. */
    public List<FeatureMap> encode(LoadedModel model, List<RgbImage> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        if (!running) {
            throw new IllegalStateException("encoder service is closed");
        }
        Thread me = Thread.currentThread();
        callersInside.incrementAndGet();
        callers.add(me);
        try {
            List<CompletableFuture<FeatureMap>> futures = new ArrayList<>(images.size());
            for (RgbImage image : images) {
                CompletableFuture<FeatureMap> f = new CompletableFuture<>();
                futures.add(f);
                queue.add(new Request(model, image, me, f));
            }
            List<FeatureMap> out = new ArrayList<>(images.size());
            for (CompletableFuture<FeatureMap> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the encoder", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("encoder failed: " + cause.getMessage(), cause);
        } finally {
            callers.remove(me);
            callersInside.decrementAndGet();
        }
    }

    public FeatureMap encode(LoadedModel model, RgbImage image) {
        return encode(model, List.of(image)).get(0);
    }

    private void run() {
        ComputeThreads.markCurrent();
        disableGrad();
        Deque<Request> leftover = new ArrayDeque<>();
        while (running) {
            try {
                Request first = leftover.isEmpty() ? queue.poll(200, TimeUnit.MILLISECONDS) : leftover.pollFirst();
                if (first == null) {
                    continue;
                }
                List<Request> batch = new ArrayList<>();
                batch.add(first);
                // Same-kind requests already waiting join first.
                for (var it = leftover.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
                    Request r = it.next();
                    if (r.fits(first)) {
                        batch.add(r);
                        it.remove();
                    }
                }
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    Request r = queue.poll();
                    if (r == null) {
                        if (everyCallerIn(batch, leftover)) {
                            break;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        r = queue.poll(Math.min(left, 1_000_000L), TimeUnit.NANOSECONDS);
                        if (r == null) {
                            continue;
                        }
                    }
                    if (r.fits(first)) {
                        batch.add(r);
                    } else {
                        leftover.addLast(r);
                    }
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("encoder loop error", e);
            }
        }
        RuntimeException closed = new IllegalStateException("encoder service closed");
        leftover.forEach(r -> r.result.completeExceptionally(closed));
        queue.forEach(r -> r.result.completeExceptionally(closed));
    }

    private boolean everyCallerIn(List<Request> batch, Deque<Request> leftover) {
        Set<Thread> in = new HashSet<>();
        for (Request r : batch) {
            in.add(r.caller);
        }
        for (Request r : leftover) {
            in.add(r.caller);
        }
        return in.containsAll(callers);
    }

    private void runBatch(List<Request> batch) {
        List<RgbImage> images = new ArrayList<>(batch.size());
        for (Request r : batch) {
            images.add(r.image);
        }
        try {
            Encoder encoder = batch.get(0).model.encoder();
            List<FeatureMap> maps;
            if (encoder.prefersBatches()) {
                maps = encoder.encode(images); // one forward for the batch, on the GPU
            } else {
                maps = new ArrayList<>(images.size());
                for (RgbImage image : images) {
                    // One forward per frame on the CPU: see the class comment.
                    maps.add(encoder.encode(image));
                }
            }
            metrics.batch(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(maps.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(r -> r.result.completeExceptionally(e));
        }
    }

    private static void setIntraOpThreads(int threads) {
        try {
            EncoderRuntime.setIntraOpThreads(threads);
            LOG.info("encoder intra-op threads (PyTorch and OpenCV): {}", threads);
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("could not set the encoder's intra-op threads to {}: {}", threads, e.toString());
        }
    }

    private static void disableGrad() {
        try {
            Class.forName("ai.djl.pytorch.jni.JniUtils")
                    .getMethod("setGradMode", boolean.class)
                    .invoke(null, false);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Not the PyTorch engine: the fused trunk builds no autograd graph anyway.
            LOG.debug("could not switch grad mode off: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        try {
            for (Thread worker : workers) {
                worker.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LoadedModel m = current.getAndSet(null);
        if (m != null) {
            m.release();
        }
    }
}
