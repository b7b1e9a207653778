package dev.gpt2java.inspect;

import dev.gpt2java.sampling.Logits;

/** The probabilities the inspect classes report, on {@link Logits}; and their check. */
final class Dist {

    private Dist() {
    }

    static void checkProbs(double[] probs) {
        for (int i = 0; i < probs.length; i++) {
            double p = probs[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability " + i + " is not in [0, 1]: " + p);
            }
            if (i > 0 && p > probs[i - 1]) {
                throw new IllegalArgumentException("probabilities must be non-increasing: " + probs[i - 1] + " then " + p);
            }
        }
    }

    /**
     * Probabilities of {@code ids} under {@link Logits#softmax}, at most 1 and non-increasing along
     * {@code ids} (ranked by {@link Logits#topK}: equal logits must not come out unequal by rounding).
     */
    static double[] softmaxAt(float[] logits, int[] ids) {
        double[] all = Logits.softmax(logits);
        double[] p = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            p[i] = Math.min(1.0, all[ids[i]]);
        }
        for (int i = 1; i < p.length; i++) {
            p[i] = Math.min(p[i], p[i - 1]);
        }
        return p;
    }
}
