package dev.gpt2java.sampling;

/**
 * Locally typical sampling (Meister et al. 2022; Hugging Face's {@code TypicalLogitsWarper}):
 * ranks tokens by how far their information {@code -log p} is from the entropy of the
 * distribution, closest first, and keeps the closest ones until their probability reaches
 * {@code p} (tokens as far as the last one kept are kept too), never fewer than {@code minKeep}.
 * Among equal distances the lower id ranks first.
 *
 * @param p       in (0, 1]; 1 keeps every token of nonzero probability
 * @param minKeep in [1, +inf)
 */
public record TypicalP(double p, int minKeep) implements LogitsFilter {

    public TypicalP {
        Logits.require(p > 0 && p <= 1, "typicalP must be in (0, 1], was " + p);
        Logits.requireMinKeep(minKeep);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        int n = logits.length;
        double[] logProb = Logits.logSoftmax(logits);
        double[] prob = new double[n];
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            prob[i] = Math.exp(logProb[i]);
            if (prob[i] > 0) {
                entropy -= prob[i] * logProb[i];
            }
        }
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            distance[i] = Math.abs(-logProb[i] - entropy); // +inf for removed tokens
        }
        int[] order = Logits.ascending(distance);
        int last = 0; // rank of the first token at which the cumulative probability reaches p
        double cumulative = 0;
        while (last < n - 1) {
            cumulative += prob[order[last]];
            if (!(cumulative < p)) {
                break;
            }
            last++;
        }
        double cut = distance[order[last]];
        for (int r = minKeep; r < n; r++) {
            if (distance[order[r]] > cut) {
                logits[order[r]] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
