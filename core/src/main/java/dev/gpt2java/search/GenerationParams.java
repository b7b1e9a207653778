package dev.gpt2java.search;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Limits of a streaming generation ({@link Generator}).
 *
 * @param maxNewTokens      most tokens generated, at least 1 (also ends at the model's context)
 * @param minNewTokens      EOS is forbidden before this many tokens, 0..maxNewTokens
 * @param eosTokenIds       tokens that end the generation (none: only the limits end it)
 * @param noRepeatNgramSize no n-gram of this size occurs twice in prompt + generated tokens; 0: off
 * @param stopStrings       the generation ends when the decoded text contains one of these (matched
 *                          across token boundaries); the text before it is emitted, it is not; non-empty
 * @param topLogprobs       each {@link GeneratedToken} carries the k most likely tokens of its step with
 *                          their log-probabilities; 0: none
 */
public record GenerationParams(int maxNewTokens, int minNewTokens, int[] eosTokenIds, int noRepeatNgramSize,
                               List<String> stopStrings, int topLogprobs) {

    public GenerationParams {
        eosTokenIds = Limits.check(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            BeamSearchParams.require(!s.isEmpty(), "stopStrings must not hold an empty string");
        }
        BeamSearchParams.require(topLogprobs >= 0, "topLogprobs must be >= 0 (0: none), was " + topLogprobs);
    }

    /** {@code maxNewTokens} tokens at most, ending at {@code eosTokenId}; no other rule. */
    public static GenerationParams of(int maxNewTokens, int eosTokenId) {
        return new GenerationParams(maxNewTokens, 0, new int[] {eosTokenId}, 0, List.of(), 0);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public GenerationParams withMaxNewTokens(int maxNewTokens) {
        return new GenerationParams(maxNewTokens, Math.min(minNewTokens, maxNewTokens), eosTokenIds,
                noRepeatNgramSize, stopStrings, topLogprobs);
    }

    public GenerationParams withMinNewTokens(int minNewTokens) {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, stopStrings, topLogprobs);
    }

    public GenerationParams withEosTokenIds(int... eosTokenIds) {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, stopStrings, topLogprobs);
    }

    public GenerationParams withNoRepeatNgramSize(int noRepeatNgramSize) {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, stopStrings, topLogprobs);
    }

    public GenerationParams withStopStrings(String... stopStrings) {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, List.of(stopStrings),
                topLogprobs);
    }

    public GenerationParams withTopLogprobs(int topLogprobs) {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, stopStrings, topLogprobs);
    }

    boolean hasEos() {
        return eosTokenIds.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationParams p && maxNewTokens == p.maxNewTokens && minNewTokens == p.minNewTokens
                && Arrays.equals(eosTokenIds, p.eosTokenIds) && noRepeatNgramSize == p.noRepeatNgramSize
                && stopStrings.equals(p.stopStrings) && topLogprobs == p.topLogprobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxNewTokens, minNewTokens, Arrays.hashCode(eosTokenIds), noRepeatNgramSize, stopStrings,
                topLogprobs);
    }

    @Override
    public String toString() {
        return "GenerationParams[maxNewTokens=" + maxNewTokens + ", minNewTokens=" + minNewTokens + ", eosTokenIds="
                + Arrays.toString(eosTokenIds) + ", noRepeatNgramSize=" + noRepeatNgramSize + ", stopStrings="
                + stopStrings + ", topLogprobs=" + topLogprobs + "]";
    }
}
