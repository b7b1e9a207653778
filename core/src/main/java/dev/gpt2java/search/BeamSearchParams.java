package dev.gpt2java.search;

import dev.gpt2java.SessionParams;

import java.util.Arrays;
import java.util.Objects;

/**
 * Parameters of {@link BeamSearch}, named and defined as in Hugging Face's {@code generate()}.
 *
 * @param numBeams           beams, 1..{@value #MAX_BEAMS}; 1 is greedy search
 * @param lengthPenalty      finished hypotheses score {@code sumLogprobs / length^lengthPenalty};
 *                           finite (> 0 favours longer sequences)
 * @param earlyStopping      when the search stops ({@link EarlyStopping})
 * @param numReturnSequences hypotheses returned, best first, 1..numBeams
 * @param noRepeatNgramSize  no n-gram of this size occurs twice in prompt + generated tokens; 0: off
 * @param maxNewTokens       most tokens generated, at least 1
 * @param minNewTokens       EOS is forbidden before this many tokens, 0..maxNewTokens
 * @param eosTokenIds        tokens that end a sequence (any number, none: only maxNewTokens ends it)
 */
public record BeamSearchParams(int numBeams, double lengthPenalty, EarlyStopping earlyStopping,
                               int numReturnSequences, int noRepeatNgramSize, int maxNewTokens,
                               int minNewTokens, int[] eosTokenIds) {

    /** The most beams a search may ask for: it keeps 2·numBeams sequences in one session. */
    public static final int MAX_BEAMS = SessionParams.MAX_SEQUENCES / 2;

    public BeamSearchParams {
        require(numBeams >= 1 && numBeams <= MAX_BEAMS,
                "numBeams must be in 1.." + MAX_BEAMS + ", was " + numBeams);
        require(Double.isFinite(lengthPenalty), "lengthPenalty must be finite, was " + lengthPenalty);
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        require(numReturnSequences >= 1 && numReturnSequences <= numBeams,
                "numReturnSequences must be in 1..numBeams (" + numBeams + "), was " + numReturnSequences);
        eosTokenIds = Limits.check(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize);
    }

    /** HF's defaults for {@code numBeams} beams: length penalty 1, early stopping FALSE, one sequence, 20 tokens. */
    public static BeamSearchParams of(int numBeams, int eosTokenId) {
        return new BeamSearchParams(numBeams, 1.0, EarlyStopping.FALSE, 1, 0, 20, 0, new int[] {eosTokenId});
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public BeamSearchParams withNumBeams(int numBeams) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withLengthPenalty(double lengthPenalty) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withEarlyStopping(EarlyStopping earlyStopping) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withNumReturnSequences(int numReturnSequences) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withNoRepeatNgramSize(int noRepeatNgramSize) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withMaxNewTokens(int maxNewTokens) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, Math.min(minNewTokens, maxNewTokens), eosTokenIds);
    }

    public BeamSearchParams withMinNewTokens(int minNewTokens) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    public BeamSearchParams withEosTokenIds(int... eosTokenIds) {
        return new BeamSearchParams(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, eosTokenIds);
    }

    /** The same limits for streaming generation ({@link Generator}), without stop strings or logprobs. */
    public GenerationParams toGenerationParams() {
        return new GenerationParams(maxNewTokens, minNewTokens, eosTokenIds, noRepeatNgramSize, java.util.List.of(), 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BeamSearchParams p && numBeams == p.numBeams
                && Double.compare(lengthPenalty, p.lengthPenalty) == 0 && earlyStopping == p.earlyStopping
                && numReturnSequences == p.numReturnSequences && noRepeatNgramSize == p.noRepeatNgramSize
                && maxNewTokens == p.maxNewTokens && minNewTokens == p.minNewTokens
                && Arrays.equals(eosTokenIds, p.eosTokenIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numBeams, lengthPenalty, earlyStopping, numReturnSequences, noRepeatNgramSize,
                maxNewTokens, minNewTokens, Arrays.hashCode(eosTokenIds));
    }

    @Override
    public String toString() {
        return "BeamSearchParams[numBeams=" + numBeams + ", lengthPenalty=" + lengthPenalty + ", earlyStopping="
                + earlyStopping + ", numReturnSequences=" + numReturnSequences + ", noRepeatNgramSize="
                + noRepeatNgramSize + ", maxNewTokens=" + maxNewTokens + ", minNewTokens=" + minNewTokens
                + ", eosTokenIds=" + Arrays.toString(eosTokenIds) + "]";
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
