package dev.gpt2java.batching;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.internal.Checks;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationState;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Continuous batching on one model: one compute thread owns one {@code Session} with a sequence per slot and
 * one thread pool, and runs steps; each step is one batched eval holding one token of every decoding request
 * and up to {@link BatchingParams#prefillChunk()} prompt tokens of the requests being prefilled (the longest
 * waiting first). Requests join between steps, leave when they end, and their slot goes to the next request
 * in the queue. With nothing to do, the compute thread sleeps.
 *
 * <p>Each request's tokens are those it gets alone (with {@code Generator} on a session of its own, with flash
 * attention as the engine's on the CPU; greedy, or a seeded sampler with the same seed), whatever else is in
 * the batch: each sequence's attention reads its own cells only, and its logits go through the same
 * {@link GenerationState}. The logits themselves may differ from a lone run's in the last bits, as ggml picks
 * its matrix kernel by the number of tokens in an eval (measured on the test fixtures: F32 weights about 1e-5 of
 * logits near 10, F16 weights up to 1e-2, Q8_0 and Q4_0 the same bits), so two tokens within that of each
 * other could swap. A request's context is its slot's: prompt and tokens end ({@code LENGTH}) at
 * {@link BatchingParams#nCtxPerSlot()}, the model's context by default.
 *
 * <p>Prompt cache: a slot keeps its sequence's cells after its request ends. A new request takes the idle slot
 * whose cells share the longest prefix with its prompt (none or a tie: the least recently used), keeps those
 * cells and evaluates only the rest (at least its last token, for the logits); when a running request's
 * sequence shares a longer prefix, its cells are copied ({@code seqCopy}, cells shared) into the least recently
 * used idle slot instead. The cached sequences are the slots' own, so the cache needs no cells of its own.
 *
 * <p>Thread-safe: any thread may submit, cancel and read metrics. Failures: a sampler that throws fails its
 * request; an eval that throws fails the requests of its step (their sequences are cleared) and the engine
 * goes on; if the session is broken beyond that, every request fails and the engine stops (submit throws
 * {@link IllegalStateException} with the cause).
 */
public final class BatchingEngine implements AutoCloseable {

    /** Runs what a caller sees (results, tokens): never on the compute thread. */
    static final Executor DELIVERY = task -> Thread.ofVirtual().name("gpt2-batching-result").start(task);

    private static final System.Logger LOG = System.getLogger("dev.gpt2java.batching");

    /** How a step's batch is evaluated: {@code Session::eval}; a test puts a failing one in between. */
    @FunctionalInterface
    interface Evaluator {
        int eval(Session session, Batch batch);
    }

    private final BatchingParams params;
    private final int nVocab;
    private final int nBatch;
    private final Gpt2Tokenizer tokenizer;
    private final StepObserver observer;
    private final Evaluator evaluator;
    private final Thread thread;

    // the compute thread's own
    private final Session session;
    private final Slots slots;
    /** Slots with a generation, in the order they were taken. */
    private final List<Slot> running = new ArrayList<>();
    /** Taken from the queue, not yet in a slot. */
    private final ArrayDeque<Generation> admitting = new ArrayDeque<>();
    private final float[] logits;
    private final ThreadChooser threads;
    private int sessionThreads;

    // shared, under lock
    private final ReentrantLock lock = new ReentrantLock();
    /** The compute thread waits on it for work. */
    private final Condition work = lock.newCondition();
    /** Shutdown waits on it for the requests to end. */
    private final Condition drained = lock.newCondition();
    private final ArrayDeque<Generation> queue = new ArrayDeque<>();
    /** Slots given to a generation (admitted, not yet ended). */
    private int busy;
    private boolean accepting = true;
    private boolean stopNow;
    private boolean exited;
    private Throwable failure;

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong cachedPromptTokens = new AtomicLong();
    private final AtomicLong generatedTokens = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();

    private BatchingEngine(BatchingParams params, Session session, Gpt2Tokenizer tokenizer, StepObserver observer,
                           Evaluator evaluator) {
        this.params = params;
        this.session = session;
        this.nVocab = session.nVocab();
        this.nBatch = session.params().nBatch();
        this.tokenizer = tokenizer;
        this.observer = observer;
        this.evaluator = evaluator;
        this.slots = new Slots(params.slots());
        this.logits = new float[nVocab];
        this.threads = new ThreadChooser(params.threads());
        this.sessionThreads = params.threads();
        this.thread = Thread.ofPlatform().name("gpt2-batching").daemon(true).unstarted(this::run);
    }

    /**
     * Starts the compute thread. The model must stay open until the engine is closed.
     *
     * @throws IllegalArgumentException if the slots' cells do not fit the model (nCtxPerSlot above its context)
     */
    public static BatchingEngine start(Gpt2Model model, BatchingParams params) {
        return start(model, params, StepObserver.NONE);
    }

    /** As {@link #start(Gpt2Model, BatchingParams)}, telling {@code observer} of every step. */
    public static BatchingEngine start(Gpt2Model model, BatchingParams params, StepObserver observer) {
        return start(model, params, observer, Session::eval);
    }

    /** As {@link #start(Gpt2Model, BatchingParams, StepObserver)}, each step's batch evaluated by {@code evaluator}. */
    static BatchingEngine start(Gpt2Model model, BatchingParams params, StepObserver observer, Evaluator evaluator) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(evaluator, "evaluator");
        BatchingParams resolved = resolve(model, params);
        Gpt2Tokenizer tokenizer = model.tokenizer();
        Session session = model.newSession(sessionParams(resolved, model.backendName().equals("CPU")));
        try {
            BatchingEngine engine = new BatchingEngine(resolved, session, tokenizer, observer, evaluator);
            engine.thread.start();
            return engine;
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /** {@code p} with nCtxPerSlot and threads resolved for {@code model}. */
    static BatchingParams resolve(Gpt2Model model, BatchingParams p) {
        int nCtx = p.nCtxPerSlot() == 0 ? model.nCtxTrain() : p.nCtxPerSlot();
        Checks.require(nCtx <= model.nCtxTrain(), "nCtxPerSlot must be at most the model's context, "
                + model.nCtxTrain() + " positions, was " + nCtx);
        Checks.require(nCtx >= 2, "nCtxPerSlot must be >= 2 (a prompt token and a generated one), was " + nCtx);
        int threads = p.threads() != 0 ? p.threads()
                : Math.min(Runtime.getRuntime().availableProcessors(), ModelParams.MAX_THREADS);
        return p.withNCtxPerSlot(nCtx).withThreads(threads);
    }

    /**
     * The one session of resolved parameters {@code p}: a sequence per slot, nCtxPerSlot cells each (so the
     * cache is never full), and room in one eval for every slot's token and a prefill chunk. On the CPU, flash
     * attention: libgpt2 then keeps each sequence's cells together and reads, for each sequence of a step, only
     * the span of cells that holds it, where the other attention reads every cell in use for every token (at 64
     * slots, 64 times the cells it needs; measured in docs/BENCHMARKS.md).
     */
    static SessionParams sessionParams(BatchingParams p, boolean flashAttn) {
        long nCells = (long) p.slots() * p.nCtxPerSlot();
        Checks.require(nCells <= Integer.MAX_VALUE, "slots * nCtxPerSlot must fit an int, was " + nCells);
        long nBatch = Math.min(nCells, (long) p.slots() + p.prefillChunk());
        return SessionParams.defaults().withNCells((int) nCells).withNSeqMax(p.slots()).withNBatch((int) nBatch)
                .withThreads(p.threads()).withFlashAttn(flashAttn);
    }

    /**
     * Admits a request: it takes a free slot at the next step, else waits in the queue.
     *
     * @throws QueueFullException       if every slot is busy and the queue is full
     * @throws IllegalStateException    if the engine is shutting down or closed
     * @throws IllegalArgumentException if the prompt does not fit a slot (1..cells-1 tokens), or a token id is
     *                                  outside the vocabulary
     */
    public Generation submit(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        int[] prompt = request.prompt();
        checkPrompt(prompt);
        GenerationState state = new GenerationState(prompt, request.sampler(), request.params(), tokenizer,
                params.nCtxPerSlot());
        Duration timeout = request.timeout().isZero() ? params.defaultTimeout() : request.timeout();
        Generation g = new Generation(prompt, state, System.nanoTime(), saturatedNanos(timeout), this::wake);
        lock.lock();
        try {
            if (!accepting) {
                rejected.incrementAndGet();
                throw failure == null ? new IllegalStateException("the engine is shut down")
                        : new IllegalStateException("the engine failed and stopped: " + failure, failure);
            }
            if ((long) queue.size() + busy >= (long) params.slots() + params.queueCapacity()) {
                rejected.incrementAndGet();
                throw new QueueFullException(params.queueCapacity());
            }
            queue.add(g);
            submitted.incrementAndGet();
            promptTokens.addAndGet(prompt.length);
            work.signal();
        } finally {
            lock.unlock();
        }
        return g;
    }

    private void checkPrompt(int[] prompt) {
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= nVocab) {
                throw new IllegalArgumentException("prompt[" + i + "] = " + prompt[i] + " is not a token id of the model (0.."
                        + (nVocab - 1) + ")");
            }
        }
        int nCtx = params.nCtxPerSlot();
        if (prompt.length >= nCtx) {
            throw new IllegalArgumentException("prompt holds " + prompt.length + " tokens; a slot has nCtxPerSlot = " + nCtx
                    + " cells, so a prompt takes 1.." + (nCtx - 1));
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private void wake() {
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The counters and gauges now. */
    public BatchingMetrics metrics() {
        int queued;
        int active;
        lock.lock();
        try {
            queued = queue.size();
            active = busy;
        } finally {
            lock.unlock();
        }
        return new BatchingMetrics(submitted.get(), rejected.get(), finished.get(), promptTokens.get(),
                cachedPromptTokens.get(), generatedTokens.get(), steps.get(), queued, active);
    }

    /** The parameters in force, defaults resolved (nCtxPerSlot, threads). */
    public BatchingParams params() {
        return params;
    }

    /**
     * Stops admitting requests, lets the running and queued ones end within {@code grace}, cancels what is left
     * then, and stops the compute thread (after the step in flight) and frees the session.
     *
     * @return true if every request ended on its own within the grace period
     */
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        boolean interrupted = false;
        boolean clean;
        lock.lock();
        try {
            accepting = false;
            work.signalAll();
            long left = saturatedNanos(grace);
            while (!exited && !(queue.isEmpty() && busy == 0) && left > 0) {
                try {
                    left = drained.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            clean = failure == null && queue.isEmpty() && busy == 0;
            if (!clean) {
                stopNow = true;
                work.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return clean;
    }

    /** {@link #shutdown} with no grace: cancels what runs, frees the session. Idempotent. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "BatchingEngine[" + params + ", " + metrics() + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // the compute thread
    // ---------------------------------------------------------------------------------------------

    private void run() {
        Throwable fatal = null;
        try {
            while (admitAndStep()) {
                // one step per turn
            }
        } catch (Throwable t) {
            fatal = t;
            LOG.log(System.Logger.Level.ERROR, "the batching engine failed; every request fails and it stops", t);
        } finally {
            stop(fatal);
        }
    }

    /**
     * One turn: waits for work, drops the queued requests that were cancelled or timed out, moves queued ones
     * into free slots, ends the running ones that were cancelled or timed out, and runs a step.
     *
     * @return false when the engine stops
     */
    private boolean admitAndStep() throws InterruptedException {
        List<Generation> dropped = new ArrayList<>();
        lock.lock();
        try {
            while (accepting && !stopNow && queue.isEmpty() && running.isEmpty()) {
                work.await();
            }
            if (stopNow || !accepting && queue.isEmpty() && running.isEmpty()) {
                return false;
            }
            long now = System.nanoTime();
            for (Iterator<Generation> it = queue.iterator(); it.hasNext(); ) {
                Generation g = it.next();
                if (g.cancelled() || g.expired(now)) {
                    it.remove();
                    dropped.add(g);
                }
            }
            while (busy < params.slots() && !queue.isEmpty()) {
                admitting.add(queue.poll());
                busy++;
            }
        } finally {
            lock.unlock();
        }
        for (Generation g : dropped) {
            end(g, g.cancelled() ? FinishReason.CANCELLED : FinishReason.TIMEOUT);
        }
        freed(0);
        while (!admitting.isEmpty()) {
            place(admitting.peek());
            admitting.poll();
        }
        long now = System.nanoTime();
        for (Slot s : List.copyOf(running)) {
            Generation g = s.generation;
            if (g.cancelled() || g.expired(now)) {
                release(s, ended -> end(ended, ended.cancelled() ? FinishReason.CANCELLED : FinishReason.TIMEOUT));
            }
        }
        if (!running.isEmpty()) {
            step();
        }
        return true;
    }

    /** Puts {@code g} in a slot, keeping the cached cells its prompt starts with. */
    private void place(Generation g) {
        Slots.Placement p = slots.place(g.prompt);
        Slot s = p.slot();
        s.generation = g;
        running.add(s);
        slots.touch(s);
        if (p.source() != s) {
            session.seqCopy(p.source().seqId, s.seqId);
            s.copyOf(p.source());
        }
        session.seqTruncate(s.seqId, p.keep());
        s.truncate(p.keep());
        s.prefilled = p.keep();
        g.cachedPromptTokens(p.keep());
        cachedPromptTokens.addAndGet(p.keep());
    }

    /** One batched eval: a token of every decoding slot, then prompt chunks up to the budget. */
    private void step() {
        Batch.Builder b = Batch.builder();
        List<Slot> decoding = new ArrayList<>();
        List<Slot> prefilling = new ArrayList<>();
        List<Integer> chunks = new ArrayList<>();
        List<Slot> outputs = new ArrayList<>();
        for (Slot s : running) {
            if (s.prefilled == s.generation.prompt.length) {
                b.add(s.generation.state.lastToken(), s.seqId, true);
                decoding.add(s);
                outputs.add(s);
            }
        }
        int budget = Math.min(params.prefillChunk(), nBatch - decoding.size());
        for (Slot s : running) {
            int[] prompt = s.generation.prompt;
            if (budget > 0 && s.prefilled < prompt.length) {
                int n = Math.min(budget, prompt.length - s.prefilled);
                for (int i = s.prefilled; i < s.prefilled + n; i++) {
                    b.add(prompt[i], s.seqId, i == prompt.length - 1);
                }
                if (s.prefilled + n == prompt.length) {
                    outputs.add(s);
                }
                prefilling.add(s);
                chunks.add(n);
                budget -= n;
            }
        }
        Batch batch = b.build();
        int n = threads.threadsFor(batch.size());
        if (n != sessionThreads) {
            session.setThreads(n);
            sessionThreads = n;
        }
        long t0 = System.nanoTime();
        try {
            int rows = evaluator.eval(session, batch);
            if (rows != outputs.size()) {
                throw new IllegalStateException("the eval gave " + rows + " rows of logits, the step asked for " + outputs.size());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a batched eval failed; its " + (decoding.size() + prefilling.size())
                    + " requests fail", e);
            List<Slot> inStep = new ArrayList<>(decoding);
            inStep.addAll(prefilling);
            for (Slot s : inStep) {
                // what the eval left in the sequence is unknown
                session.seqClear(s.seqId);
                s.truncate(0);
                release(s, failed -> fail(failed, e));
            }
            return;
        }
        long nanos = System.nanoTime() - t0;
        threads.took(batch.size(), nanos);
        for (Slot s : decoding) {
            s.append(s.generation.state.lastToken());
        }
        for (int i = 0; i < prefilling.size(); i++) {
            Slot s = prefilling.get(i);
            for (int k = 0; k < chunks.get(i); k++) {
                s.append(s.generation.prompt[s.prefilled++]);
            }
        }
        steps.incrementAndGet();
        try {
            observer.onStep(decoding.size(), prefilling.size(), batch.size(), nanos);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the step observer threw", e);
        }
        for (int r = 0; r < outputs.size(); r++) {
            Slot s = outputs.get(r);
            Generation g = s.generation;
            GeneratedToken token;
            try {
                session.logits(r, logits);
                token = g.state.accept(logits);
            } catch (RuntimeException e) {
                release(s, failed -> fail(failed, e));
                continue;
            }
            generatedTokens.incrementAndGet();
            g.emit(token);
            if (g.state.finishReason() != null) {
                release(s, ended -> end(ended, ended.state.finishReason()));
            }
        }
    }

    /** Frees slot {@code s} (its cells stay cached) and ends its generation with {@code ending}. */
    private void release(Slot s, Consumer<Generation> ending) {
        Generation g = s.generation;
        running.remove(s);
        s.generation = null;
        slots.touch(s);
        try {
            ending.accept(g);
        } finally {
            freed(1);
        }
    }

    private void end(Generation g, FinishReason why) {
        if (!g.ended()) {
            finished.incrementAndGet();   // counted before its caller can see the end
            g.end(why);
        }
    }

    private void fail(Generation g, Throwable e) {
        if (!g.ended()) {
            finished.incrementAndGet();
            g.fail(e);
        }
    }

    /** {@code n} slots were freed: tells a shutdown waiting for the end when nothing is left. */
    private void freed(int n) {
        lock.lock();
        try {
            busy -= n;
            if (busy == 0 && queue.isEmpty()) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The compute thread's last act: refuses new requests, cancels what is left (fails it, after a fatal
     * error) and frees the session.
     */
    private void stop(Throwable fatal) {
        List<Generation> left = new ArrayList<>();
        lock.lock();
        try {
            accepting = false;
            if (fatal != null) {
                failure = fatal;
            }
            left.addAll(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        for (Slot s : running) {
            left.add(s.generation);
            s.generation = null;
        }
        running.clear();
        left.addAll(admitting);
        admitting.clear();
        for (Generation g : left) {
            if (fatal != null) {
                fail(g, fatal);
            } else {
                end(g, FinishReason.CANCELLED);
            }
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the batching engine's session failed", e);
        } finally {
            lock.lock();
            try {
                busy = 0;
                exited = true;
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
