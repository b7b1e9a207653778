package dev.gpt2java.batching;

/**
 * Told of every batched eval of a {@link BatchingEngine}, on its compute thread: keep it short (a metric).
 */
@FunctionalInterface
public interface StepObserver {

    /**
     * @param decoding   sequences that got one token this step
     * @param prefilling sequences that got prompt tokens this step
     * @param tokens     tokens in the batch
     * @param nanos      the eval's wall time
     */
    void onStep(int decoding, int prefilling, int tokens, long nanos);

    StepObserver NONE = (decoding, prefilling, tokens, nanos) -> { };
}
