package dev.gpt2java.server;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Logits;
import dev.gpt2java.search.BeamObserver;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.search.TokenLogprob;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What runs beside the batching engine, each on a session of its own: beam search (the engine batches sampling and
 * greedy requests, not beams) and the scoring of a prompt's tokens (their logprobs, for {@code echo} with
 * {@code logprobs}). At most {@code permits} at once, on platform threads (their native calls would pin a virtual
 * thread's carrier); a request that finds them all busy is refused (429), not queued.
 *
 * <p>A beam search has no cancel of its own: it stops by its observer throwing at the next step, when the request's
 * deadline passes, its client goes away or the server shuts down.
 */
final class SideSessions implements AutoCloseable {

    /** The prompt's tokens scored: {@code logprobs[i]}, {@code top[i]} for token i, null for token 0. */
    record Scored(Double[] logprobs, List<List<TokenLogprob>> top) {
    }

    private final Gpt2Model model;
    private final Semaphore permits;
    private final ExecutorService threads;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean cancelAll;

    SideSessions(Gpt2Model model, int permits) {
        this.model = model;
        this.permits = new Semaphore(permits);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(permits,
                r -> Thread.ofPlatform().daemon().name("gpt2-serve-side-" + n.incrementAndGet()).unstarted(r));
    }

    int running() {
        return running.get();
    }

    /** Beam search for {@code prompt}; stops (CancellationException) once {@code stop} says so. */
    List<Hypothesis> beamSearch(int[] prompt, BeamSearchParams params, BooleanSupplier stop) {
        BeamObserver observer = step -> {
            if (cancelAll || stop.getAsBoolean()) {
                throw new CancellationException("beam search stopped");
            }
        };
        return run(() -> BeamSearch.search(model, prompt, params, observer));
    }

    /** The logprob of each prompt token after the ones before it, with the {@code k} best of each step. */
    Scored score(int[] prompt, int k) {
        return run(() -> scoreNow(prompt, k));
    }

    private Scored scoreNow(int[] prompt, int k) {
        int n = prompt.length;
        Double[] lps = new Double[n];
        List<List<TokenLogprob>> top = new ArrayList<>(n);
        top.add(null);
        if (n == 1) {
            return new Scored(lps, top);
        }
        int nBatch = Math.min(n - 1, 512);
        try (Session s = model.newSession(SessionParams.defaults().withNCells(n).withNBatch(nBatch))) {
            // logits after token i predict token i + 1: evaluate tokens 0 .. n-2, all with logits
            for (int start = 0; start < n - 1; start += nBatch) {
                int end = Math.min(n - 1, start + nBatch);
                Batch.Builder b = Batch.builder();
                for (int i = start; i < end; i++) {
                    b.add(prompt[i], 0, true);
                }
                int rows = s.eval(b.build());
                double[][] lp = new double[rows][];
                for (int r = 0; r < rows; r++) {
                    lp[s.outputTokenIndex(r)] = Logits.logSoftmax(s.logits(r));
                }
                for (int i = start; i < end; i++) {
                    double[] row = lp[i - start];
                    lps[i + 1] = row[prompt[i + 1]];
                    List<TokenLogprob> best = new ArrayList<>(k);
                    for (int t : Logits.topK(row, k)) {
                        best.add(new TokenLogprob(t, row[t]));
                    }
                    top.add(best);
                }
            }
        }
        return new Scored(lps, top);
    }

    private <T> T run(java.util.concurrent.Callable<T> task) {
        if (!permits.tryAcquire()) {
            throw ApiException.busy("every side session (beam search, prompt scoring) is busy; try again later");
        }
        running.incrementAndGet();
        try {
            Future<T> f = threads.submit(task);
            return f.get();
        } catch (RejectedExecutionException e) {
            throw ApiException.shuttingDown("the server is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            running.decrementAndGet();
            permits.release();
        }
    }

    /**
     * Refuses new work, lets what runs end within {@code grace}, then stops it at its next step.
     *
     * @return true if everything ended on its own within the grace period
     */
    boolean shutdown(Duration grace) {
        threads.shutdown();
        boolean clean = await(grace);
        if (!clean) {
            cancelAll = true;
            await(Duration.ofSeconds(10)); // a step of a beam search, a chunk of a prompt
        }
        return clean;
    }

    private boolean await(Duration d) {
        try {
            return threads.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
        threads.shutdownNow();
    }
}
