package dev.gpt2java.spark;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.GenerationParams;

import java.io.Serializable;
import java.util.List;

/**
 * How each row is generated: the same for every row, but for the seed and the token limit, which a column may
 * give per row ({@link Gpt2Completions#withSeedColumn}, {@link Gpt2Completions#withMaxTokensColumn}). Checked
 * where it is made, by the rules of {@link SamplingParams} and {@link GenerationParams}.
 *
 * @param maxTokens   most tokens generated per row, at least 1 (generation also ends at EOS, a stop string or
 *                    the model's context)
 * @param temperature 0: greedy (the most likely token); else sampling at this temperature
 * @param topK        sampling from the k most likely tokens; 0: off
 * @param topP        nucleus sampling; 1: off
 * @param minP        tokens below this fraction of the most likely one's probability are dropped; 0: off
 * @param seed        the seed of every row's sampler (each row starts its own generator with it), unless a
 *                    seed column gives the row's; unused when greedy
 * @param stopStrings a row ends when its text reaches one of these (the stop string is left out); none: off
 */
public record CompletionOptions(int maxTokens, double temperature, int topK, double topP, double minP, long seed,
                                List<String> stopStrings) implements Serializable {

    public CompletionOptions {
        stopStrings = List.copyOf(stopStrings);
        sampling(temperature, topK, topP, minP, seed);
        limits(maxTokens, 0, stopStrings);
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static CompletionOptions greedy(int maxTokens) {
        return new CompletionOptions(maxTokens, 0, 0, 1, 0, 0, List.of());
    }

    /** Sampling at {@code temperature} with every row's generator seeded with {@code seed}. */
    public static CompletionOptions sampling(int maxTokens, double temperature, long seed) {
        return new CompletionOptions(maxTokens, temperature, 0, 1, 0, seed, List.of());
    }

    public CompletionOptions withMaxTokens(int maxTokens) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withTemperature(double temperature) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withTopK(int topK) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withTopP(double topP) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withMinP(double minP) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withSeed(long seed) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, stopStrings);
    }

    public CompletionOptions withStopStrings(String... stopStrings) {
        return new CompletionOptions(maxTokens, temperature, topK, topP, minP, seed, List.of(stopStrings));
    }

    /** A fresh sampler for a row with this seed (a seeded chain keeps its generator's state: one per row). */
    Sampler newSampler(long rowSeed) {
        return sampling(temperature, topK, topP, minP, rowSeed).newSampler();
    }

    /** The limits of a row that may generate {@code rowMaxTokens} tokens and ends at {@code eosToken}. */
    GenerationParams generationParams(int rowMaxTokens, int eosToken) {
        return limits(rowMaxTokens, eosToken, stopStrings);
    }

    private static SamplingParams sampling(double temperature, int topK, double topP, double minP, long seed) {
        return SamplingParams.defaults().withTemperature(temperature).withTopK(topK).withTopP(topP).withMinP(minP)
                .withSeed(seed);
    }

    private static GenerationParams limits(int maxTokens, int eosToken, List<String> stopStrings) {
        return GenerationParams.of(maxTokens, eosToken).withStopStrings(stopStrings.toArray(String[]::new));
    }
}
