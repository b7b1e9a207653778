package dev.gpt2java.search;

import java.util.Arrays;

/**
 * A finished sequence of a search.
 *
 * @param tokens the generated tokens, prompt excluded; ends with the EOS token if the sequence ended on
 *               it (a copy is kept and {@link #tokens()} returns a copy)
 * @param score  beam search: the sum of the tokens' log-probabilities divided by
 *               {@code tokens.length ^ lengthPenalty} (HF's {@code sequences_scores}); greedy: the sum
 *               of the log-probabilities, not normalized
 */
public record Hypothesis(int[] tokens, double score) {

    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Number of generated tokens. */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis h && Arrays.equals(tokens, h.tokens)
                && Double.compare(score, h.score) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "Hypothesis[tokens=" + Arrays.toString(tokens) + ", score=" + score + "]";
    }
}
