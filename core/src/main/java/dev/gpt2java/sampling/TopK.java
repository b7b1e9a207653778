package dev.gpt2java.sampling;

import java.util.Arrays;

/**
 * Keeps the {@code max(k, minKeep)} largest logits (Hugging Face's {@code TopKLogitsWarper}):
 * every token whose logit is below the k-th largest is removed, so tokens tied with the k-th are
 * all kept (the kept set can be larger than k).
 *
 * @param k       in [1, +inf); a k at or above the vocabulary size keeps everything
 * @param minKeep in [1, +inf)
 */
public record TopK(int k, int minKeep) implements LogitsFilter {

    public TopK {
        Logits.require(k >= 1, "topK must be in [1, " + Integer.MAX_VALUE + "], was " + k);
        Logits.requireMinKeep(minKeep);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        int keep = Math.min(Math.max(k, minKeep), logits.length);
        if (keep == logits.length) {
            return;
        }
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float threshold = sorted[logits.length - keep];
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
