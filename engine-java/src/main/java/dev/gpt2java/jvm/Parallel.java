package dev.gpt2java.jvm;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over [0, n) split into chunks on the calling thread and {@code threads - 1} workers of
 * its own (1: the caller alone, inline).
 *
 * <p>A decoding step of GPT-2 124M is ~70 short parallel loops of a few hundred microseconds each, so
 * what a loop costs to start and to join matters as much as the loop. The workers therefore wait for
 * the next loop spinning for a while ({@link #SPIN_NANOS}) before they park, the caller works on the
 * chunks too instead of blocking, and chunks are claimed one at a time from a counter (a worker slowed
 * down by another process on its core takes fewer). ggml's CPU thread pool works the same way.
 */
final class Parallel implements AutoCloseable {

    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker spins for the next loop before it parks. */
    static final long SPIN_NANOS = 200_000;

    /** One forRange call; its chunks are claimed through {@code next} by the caller and the workers. */
    private static final class Job {
        final int n;
        final int chunks;
        final RangeBody body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int n, int chunks, RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();

    private final int threads;
    private final Pool pool;
    private final Cleaner.Cleanable cleanable;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.pool = new Pool(threads - 1);
        // an unclosed Parallel that became unreachable stops its workers (they hold the pool, not this)
        this.cleanable = CLEANER.register(this, pool::close);
    }

    int threads() {
        return threads;
    }

    /** body(from, to) over chunks covering [0, n), each at least {@code minChunk} long where possible. */
    void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(threads * 4, Math.max(1, n / Math.max(1, minChunk)));
        if (threads == 1 || chunks <= 1) {
            body.run(0, n);
            return;
        }
        pool.run(new Job(n, chunks, body));
        Reference.reachabilityFence(this);
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /** The workers and the job they share. */
    private static final class Pool {
        private final Thread[] workers;
        private final AtomicIntegerArray sleeping; // 1 while worker i is parked (or about to park)
        private volatile Job job;
        private volatile boolean closed;

        Pool(int n) {
            this.workers = new Thread[n];
            this.sleeping = new AtomicIntegerArray(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                workers[i] = Thread.ofPlatform().daemon().name("gpt2-jvm-" + (i + 1)).unstarted(() -> workerLoop(id));
                workers[i].start();
            }
        }

        void run(Job j) {
            if (closed) {
                throw new IllegalStateException("the worker threads are stopped (the session is closed)");
            }
            job = j;
            for (int i = 0; i < workers.length; i++) {
                if (sleeping.get(i) != 0) {
                    LockSupport.unpark(workers[i]);
                }
            }
            j.work();
            for (int spins = 0; j.done.get() < j.chunks; spins++) {
                if (spins < 4096) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a worker lost its core: let it have ours
                }
            }
            job = null; // hold nothing of the loop's body between loops
            Throwable f = j.failure;
            if (f instanceof RuntimeException r) {
                throw r;
            } else if (f instanceof Error e) {
                throw e;
            } else if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        private void workerLoop(int id) {
            Job last = null;
            long idleSince = System.nanoTime();
            int spins = 0;
            while (!closed) {
                Job j = job;
                if (j != last) {
                    last = j;
                    if (j != null) {
                        j.work();
                    }
                    idleSince = System.nanoTime();
                    spins = 0;
                } else if (++spins % 64 != 0 || System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    sleeping.set(id, 1);
                    if (job == last && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping.set(id, 0);
                    idleSince = System.nanoTime();
                }
            }
        }

        void close() {
            closed = true;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
    }
}
