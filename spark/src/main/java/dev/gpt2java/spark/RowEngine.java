package dev.gpt2java.spark;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingParams;
import dev.gpt2java.batching.GenerationRequest;
import dev.gpt2java.batching.QueueFullException;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;

import java.util.concurrent.CompletableFuture;

/** What generates the rows of an executor JVM: shared by its tasks, so thread-safe. */
interface RowEngine extends AutoCloseable {

    /**
     * Starts a row's generation.
     *
     * @return its result, or null if the engine is full now (try again when one of the caller's rows ended)
     * @throws IllegalArgumentException if the engine refuses the row (its prompt does not fit)
     */
    CompletableFuture<GenerationResult> trySubmit(int[] prompt, Sampler sampler, GenerationParams params);

    /** Rows a task keeps in flight at once. */
    int window();

    /** Prompt and generated tokens of one row, at most. */
    int cells();

    @Override
    void close();

    /** One row at a time on the calling task's thread, each on a session of its own ({@link Generator}). */
    record Sequential(Gpt2Model model) implements RowEngine {
        @Override
        public CompletableFuture<GenerationResult> trySubmit(int[] prompt, Sampler sampler, GenerationParams params) {
            return CompletableFuture.completedFuture(Generator.generateTokens(model, prompt, sampler, params, t -> { }));
        }

        @Override
        public int window() {
            return 1;
        }

        @Override
        public int cells() {
            return model.nCtxTrain();
        }

        @Override
        public void close() {
        }
    }

    /** Continuous batching: every task of the JVM submits to one engine, whose steps hold all their rows. */
    record Batched(BatchingEngine engine) implements RowEngine {
        static Batched start(Gpt2Model model, int slots, int threads) {
            return new Batched(BatchingEngine.start(model, BatchingParams.defaults().withSlots(slots).withThreads(threads)
                    .withQueueCapacity(2 * slots)));
        }

        @Override
        public CompletableFuture<GenerationResult> trySubmit(int[] prompt, Sampler sampler, GenerationParams params) {
            try {
                return engine.submit(GenerationRequest.of(prompt, sampler, params)).result();
            } catch (QueueFullException e) {
                return null;
            }
        }

        @Override
        public int window() {
            return 2 * engine.params().slots();
        }

        @Override
        public int cells() {
            return engine.params().nCtxPerSlot();
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
