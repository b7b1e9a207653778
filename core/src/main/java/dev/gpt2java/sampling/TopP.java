package dev.gpt2java.sampling;

/**
 * Nucleus sampling (Hugging Face's {@code TopPLogitsWarper}): keeps the most probable tokens whose
 * cumulative probability reaches {@code p}. Tokens are ranked by ascending logit and removed from the
 * least probable while the cumulative probability of the removed ones is at most {@code 1 - p}; the
 * {@code minKeep} most probable always stay. Among equal logits the lower id is ranked as less
 * probable (HF's code with a stable sort; HF's default sort leaves that order arbitrary).
 *
 * @param p       in [0, 1]; 0 keeps {@code minKeep} tokens, 1 keeps every token of nonzero probability
 * @param minKeep in [1, +inf)
 */
public record TopP(double p, int minKeep) implements LogitsFilter {

    public TopP {
        Logits.require(p >= 0 && p <= 1, "topP must be in [0, 1], was " + p);
        Logits.requireMinKeep(minKeep);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        double[] prob = Logits.softmax(logits);
        int[] order = Logits.ascending(Logits.widen(logits));
        double limit = 1 - p;
        double cumulative = 0;
        int removable = logits.length - minKeep;
        for (int r = 0; r < removable; r++) {
            cumulative += prob[order[r]];
            if (cumulative > limit) {
                break;
            }
            logits[order[r]] = Float.NEGATIVE_INFINITY;
        }
    }
}
