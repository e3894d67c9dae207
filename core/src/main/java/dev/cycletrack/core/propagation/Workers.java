package dev.cycletrack.core.propagation;

import dev.cycletrack.core.concurrent.ComputeThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small fixed pool shared by all propagators: work is split into independent tiles that workers
 * take in turn. Sized to the cores (override with {@code -Dcycletrack.propagation.threads=N}).
 */
final class Workers {

    static final int THREADS = Integer.getInteger(
            "cycletrack.propagation.threads", Runtime.getRuntime().availableProcessors());

    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(
                () -> {
                    ComputeThreads.markCurrent();
                    r.run();
                },
                "cycletrack-propagation");
        t.setDaemon(true);
        return t;
    });

    private Workers() {}

    /**
     * Runs {@code work(i)} for i in [0, n), each worker with its own state from {@code
     * workerState}; returns when all are done. The state object is handed to {@code body}.
     */
    static <S> void forEach(int n, Supplier<S> workerState, TileBody<S> body) {
        int workers = Math.min(THREADS, n);
        AtomicInteger next = new AtomicInteger();
        if (workers <= 1) {
            S state = workerState.get();
            for (int i = 0; i < n; i++) {
                body.run(state, i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(POOL.submit(() -> {
                S state = workerState.get();
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    body.run(state, i);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("propagation interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @FunctionalInterface
    interface TileBody<S> {
        void run(S state, int index);
    }
}
