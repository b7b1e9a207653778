package dev.gpt2java.inspect;

import java.util.Objects;

/**
 * One cell of the logit lens: the top tokens of {@code softmax(unembed(hidden(layer)[position], true))}.
 *
 * @param layer    hidden-state index: 0 the embeddings, 1..nLayer the output of that block
 * @param position token position in the trace
 * @param tokens   the most probable tokens there, with their text and probabilities
 */
public record LensEntry(int layer, int position, TopTokens tokens) {

    public LensEntry {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, was " + layer);
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        Objects.requireNonNull(tokens, "tokens");
    }

    /** The token ids, most probable first (a copy). */
    public int[] ids() {
        return tokens.ids();
    }

    /** Their probabilities (double-precision softmax over the whole vocabulary), non-increasing (a copy). */
    public double[] probs() {
        return tokens.probs();
    }

    /** The most probable token. */
    public int top() {
        return tokens.id(0);
    }

    /** The most probable token's probability. */
    public double topProb() {
        return tokens.prob(0);
    }
}
