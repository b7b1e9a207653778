package dev.gpt2java.inspect;

import java.util.Objects;

/**
 * One cell of the logit lens: the top tokens of {@code softmax(unembed(hidden(layer)[position], true))}.
 *
 * @param layer    hidden-state index: 0 the embeddings, 1..nLayer the output of that block
 * @param position token position in the trace
 * @param ids      token ids, most probable first
 * @param probs    their probabilities (double-precision softmax over the whole vocabulary); non-increasing
 */
public record LensEntry(int layer, int position, int[] ids, double[] probs) {

    public LensEntry {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, was " + layer);
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(probs, "probs");
        if (ids.length != probs.length) {
            throw new IllegalArgumentException("ids and probs differ in length: " + ids.length + " vs " + probs.length);
        }
        Dist.checkProbs(probs);
        ids = ids.clone();
        probs = probs.clone();
    }

    /** A copy of the ids. */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** A copy of the probabilities. */
    @Override
    public double[] probs() {
        return probs.clone();
    }

    /** The most probable token. */
    public int top() {
        return ids[0];
    }

    /** The most probable token's probability. */
    public double topProb() {
        return probs[0];
    }
}
