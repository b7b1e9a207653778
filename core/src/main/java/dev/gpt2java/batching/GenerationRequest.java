package dev.gpt2java.batching;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;

import java.time.Duration;
import java.util.Objects;

/**
 * One generation for a {@link BatchingEngine}.
 *
 * @param prompt  1.. tokens (copied); with the generated tokens, at most the slot's cells
 * @param sampler picks each token; a fresh one per request, as a seeded chain keeps its generator's state
 *                ({@link Sampler#GREEDY}, or {@code SamplingParams.newSampler()})
 * @param params  limits, stop strings, EOS, n-gram ban, top logprobs
 * @param timeout the deadline from submission; {@link Duration#ZERO}: the engine's default
 */
public record GenerationRequest(int[] prompt, Sampler sampler, GenerationParams params, Duration timeout) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(timeout, "timeout");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 (0: the engine's default), was " + timeout);
        }
        prompt = prompt.clone();
    }

    /** A request with the engine's default timeout. */
    public static GenerationRequest of(int[] prompt, Sampler sampler, GenerationParams params) {
        return new GenerationRequest(prompt, sampler, params, Duration.ZERO);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }
}
