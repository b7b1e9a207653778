package dev.gpt2java.sampling;

/**
 * Min-p (Hugging Face's {@code MinPLogitsWarper}): removes every token whose probability is below
 * {@code p} times the largest probability, then restores the {@code minKeep} most probable (the
 * lower id first among equal logits).
 *
 * @param p       in [0, 1]; 0 keeps everything, 1 keeps the tokens tied with the most probable
 * @param minKeep in [1, +inf)
 */
public record MinP(double p, int minKeep) implements LogitsFilter {

    public MinP {
        Logits.require(p >= 0 && p <= 1, "minP must be in [0, 1], was " + p);
        Logits.requireMinKeep(minKeep);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        double[] prob = Logits.softmax(logits);
        double threshold = p * prob[Logits.argmax(logits)]; // the largest probability is the largest logit's
        boolean[] keep = new boolean[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keep[i] = !(prob[i] < threshold);
        }
        for (int i : Logits.topK(prob, minKeep)) {
            keep[i] = true;
        }
        for (int i = 0; i < logits.length; i++) {
            if (!keep[i]) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
