package dev.gpt2java.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/** Runs a loop over [0, n) split into chunks on a fork-join pool of {@code threads} workers (1: inline). */
final class Parallel implements AutoCloseable {

    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("gpt2-jvm-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    int threads() {
        return threads;
    }

    /** body(from, to) over chunks covering [0, n), each at least {@code minChunk} long where possible. */
    void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(threads * 4, Math.max(1, n / Math.max(1, minChunk)));
        if (pool == null || chunks <= 1) {
            body.run(0, n);
            return;
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
                for (int c = 0; c < chunks; c++) {
                    int from = (int) ((long) n * c / chunks);
                    int to = (int) ((long) n * (c + 1) / chunks);
                    tasks.add(ForkJoinTask.adapt(() -> body.run(from, to)));
                }
                invokeAll(tasks);
            }
        });
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
