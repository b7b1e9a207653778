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
        double top = 0;
        for (double q : prob) {
            top = Math.max(top, q);
        }
        double threshold = p * top;
        boolean[] keep = new boolean[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keep[i] = !(prob[i] < threshold);
        }
        int[] order = Logits.ascending(negated(prob));
        for (int r = 0; r < Math.min(minKeep, logits.length); r++) {
            keep[order[r]] = true;
        }
        for (int i = 0; i < logits.length; i++) {
            if (!keep[i]) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private static double[] negated(double[] values) {
        double[] n = new double[values.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = -values[i];
        }
        return n;
    }
}
