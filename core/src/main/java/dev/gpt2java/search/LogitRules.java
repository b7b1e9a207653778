package dev.gpt2java.search;

import java.util.Arrays;

/** The pieces of HF's logits processing that searches and generators share. */
final class LogitRules {

    private LogitRules() {
    }

    /**
     * Tokens that would repeat an n-gram of {@code history} (HF's {@code NoRepeatNGramLogitsProcessor}: the
     * prompt counts): for every earlier window whose first n-1 tokens equal the last n-1 tokens of
     * {@code history}, its n-th token.
     */
    static int[] bannedByNgram(int[] history, int length, int n) {
        if (n <= 0 || length < n) {
            return new int[0];
        }
        int[] banned = new int[8];
        int nBanned = 0;
        int prefixStart = length - n + 1;
        for (int i = 0; i + n <= length; i++) {
            boolean match = true;
            for (int k = 0; k < n - 1; k++) {
                if (history[i + k] != history[prefixStart + k]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                if (nBanned == banned.length) {
                    banned = Arrays.copyOf(banned, nBanned * 2);
                }
                banned[nBanned++] = history[i + n - 1];
            }
        }
        return Arrays.copyOf(banned, nBanned);
    }

    /**
     * The tokens that the rules forbid after {@code history} ({@code nGenerated} of it generated): those the
     * n-gram rule bans, and before {@code minNewTokens} the EOS ids below {@code nVocab}.
     */
    static int[] forbidden(int[] history, int length, int nGenerated, int ngramSize, int minNewTokens, int[] eos,
                           int nVocab) {
        int[] banned = bannedByNgram(history, length, ngramSize);
        if (nGenerated >= minNewTokens) {
            return banned;
        }
        int[] all = Arrays.copyOf(banned, banned.length + eos.length);
        int n = banned.length;
        for (int t : eos) {
            if (t < nVocab) {
                all[n++] = t;
            }
        }
        return Arrays.copyOf(all, n);
    }

    /** Sets to -inf the tokens that the rules forbid ({@link #forbidden}). */
    static void apply(double[] scores, int[] history, int length, int nGenerated, int ngramSize, int minNewTokens,
                      int[] eos) {
        for (int t : forbidden(history, length, nGenerated, ngramSize, minNewTokens, eos, scores.length)) {
            scores[t] = Double.NEGATIVE_INFINITY;
        }
    }

    /** As {@link #apply(double[], int[], int, int, int, int, int[])}, on float logits. */
    static void apply(float[] logits, int[] history, int length, int nGenerated, int ngramSize, int minNewTokens,
                      int[] eos) {
        for (int t : forbidden(history, length, nGenerated, ngramSize, minNewTokens, eos, logits.length)) {
            logits[t] = Float.NEGATIVE_INFINITY;
        }
    }
}
