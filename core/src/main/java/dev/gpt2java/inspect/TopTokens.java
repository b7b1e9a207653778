package dev.gpt2java.inspect;

import java.util.List;
import java.util.Objects;

/**
 * The most probable tokens of one distribution, most probable first.
 *
 * @param ids    token ids
 * @param pieces their text ({@link dev.gpt2java.tokenizer.Gpt2Tokenizer#pieces} of each id alone)
 * @param probs  their probabilities, from a double-precision softmax over the whole vocabulary;
 *               non-increasing
 */
public record TopTokens(int[] ids, List<String> pieces, double[] probs) {

    public TopTokens {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(pieces, "pieces");
        Objects.requireNonNull(probs, "probs");
        if (ids.length != pieces.size() || ids.length != probs.length) {
            throw new IllegalArgumentException("ids, pieces and probs differ in length: " + ids.length + ", "
                    + pieces.size() + ", " + probs.length);
        }
        Dist.checkProbs(probs);
        ids = ids.clone();
        pieces = List.copyOf(pieces);
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

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    /** The i-th most probable token. */
    public int id(int i) {
        return ids[i];
    }

    /** Probability of the i-th most probable token. */
    public double prob(int i) {
        return probs[i];
    }
}
