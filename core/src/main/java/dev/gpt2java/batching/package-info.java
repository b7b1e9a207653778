/**
 * Continuous batching: one {@link dev.gpt2java.batching.BatchingEngine} owns the compute (one session with a
 * sequence slot per running request, one thread pool) and advances every running generation with one batched
 * eval per step. Requests join between steps and leave when they end; long prompts are prefilled in chunks
 * between decode steps; prompts that share a prefix with a sequence still in the cache reuse its cells.
 *
 * <pre>{@code
 * try (BatchingEngine engine = BatchingEngine.start(model, BatchingParams.defaults())) {
 *     Generation g = engine.submit(GenerationRequest.of(prompt, Sampler.GREEDY, GenerationParams.of(64, model.eosToken())));
 *     g.subscribe(subscriber);                    // Flow: tokens as they come, request(n) honoured
 *     GenerationResult r = g.result().join();     // or the whole result
 * }
 * }</pre>
 *
 * A caller on a virtual thread may read the tokens with {@link dev.gpt2java.batching.Generation#blockingIterator()}
 * instead. Each request gets the tokens it gets alone with {@code Generator} (see {@code BatchingEngine} for
 * what that holds to); beam search is not batched here.
 */
package dev.gpt2java.batching;
