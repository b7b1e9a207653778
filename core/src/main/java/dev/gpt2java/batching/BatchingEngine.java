package dev.gpt2java.batching;

import dev.gpt2java.Gpt2Model;

import java.time.Duration;

/**
 * Continuous batching on one model: one compute thread owns one {@code Session} with a sequence per slot and
 * one thread pool, and runs steps; each step is one batched eval holding one token of every decoding request
 * and up to {@link BatchingParams#prefillChunk()} prompt tokens of the requests being prefilled. Requests join
 * between steps, leave when they end, and their slot goes to the next request in the queue.
 *
 * <p>Each request's tokens are those it gets alone (with {@code Generator} on a session of its own; greedy,
 * or a seeded sampler with the same seed), whatever else is in the batch.
 *
 * <p>Prompt cache: a slot keeps its sequence's cells after its request ends; a new prompt that shares a
 * prefix with one of them copies those cells ({@code seqCopy}) and evaluates only the rest. The cached
 * sequences are the idle slots' (least recently used reused first), so the cache needs no cells of its own.
 *
 * <p>Thread-safe: any thread may submit, cancel and read metrics.
 */
public final class BatchingEngine implements AutoCloseable {

    private BatchingEngine() {
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
        throw new UnsupportedOperationException("TODO");
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
        throw new UnsupportedOperationException("TODO");
    }

    /** The counters and gauges now. */
    public BatchingMetrics metrics() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The parameters in force, defaults resolved (nCtxPerSlot, threads). */
    public BatchingParams params() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Stops admitting requests, lets the running and queued ones end within {@code grace}, cancels what is left
     * then, and stops the compute thread.
     *
     * @return true if every request ended on its own within the grace period
     */
    public boolean shutdown(Duration grace) {
        throw new UnsupportedOperationException("TODO");
    }

    /** {@link #shutdown} with no grace: cancels what runs, frees the session. Idempotent. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
