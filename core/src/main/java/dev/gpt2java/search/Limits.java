package dev.gpt2java.search;

import static dev.gpt2java.search.BeamSearchParams.require;

/** The limits that {@link BeamSearchParams} and {@link GenerationParams} share: checked once, here. */
final class Limits {

    private Limits() {
    }

    /**
     * Checks {@code maxNewTokens >= 1}, {@code minNewTokens} in 0..maxNewTokens, {@code noRepeatNgramSize >= 0}
     * and every EOS id {@code >= 0}.
     *
     * @return a copy of {@code eosTokenIds}, for the record to keep
     */
    static int[] check(int maxNewTokens, int minNewTokens, int[] eosTokenIds, int noRepeatNgramSize) {
        require(maxNewTokens >= 1, "maxNewTokens must be >= 1, was " + maxNewTokens);
        require(minNewTokens >= 0 && minNewTokens <= maxNewTokens,
                "minNewTokens must be in 0..maxNewTokens (" + maxNewTokens + "), was " + minNewTokens);
        require(noRepeatNgramSize >= 0, "noRepeatNgramSize must be >= 0 (0: off), was " + noRepeatNgramSize);
        int[] ids = eosTokenIds.clone();
        for (int t : ids) {
            require(t >= 0, "eosTokenIds must be token ids >= 0, has " + t);
        }
        return ids;
    }

    /** Whether {@code token} is one of {@code eosTokenIds}. */
    static boolean isEos(int[] eosTokenIds, int token) {
        for (int t : eosTokenIds) {
            if (t == token) {
                return true;
            }
        }
        return false;
    }
}
