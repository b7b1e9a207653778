package dev.gpt2java.batching;

/**
 * A snapshot of a {@link BatchingEngine}'s counters (totals since start) and gauges (now).
 *
 * @param submitted          requests admitted to the queue
 * @param rejected           requests refused (queue full or engine shut down)
 * @param finished           requests that ended, for any reason
 * @param promptTokens       prompt tokens of the admitted requests
 * @param cachedPromptTokens prompt tokens reused from the prompt cache instead of evaluated
 * @param generatedTokens    tokens generated
 * @param steps              batched evals run
 * @param queued             requests waiting for a slot now
 * @param active             requests in a slot now (prefilling or decoding)
 */
public record BatchingMetrics(long submitted, long rejected, long finished, long promptTokens, long cachedPromptTokens,
                              long generatedTokens, long steps, int queued, int active) {
}
