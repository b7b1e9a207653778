package dev.gpt2java.sampling;

/**
 * Divides every logit by {@code temperature} (Hugging Face's {@code TemperatureLogitsWarper}):
 * below 1 sharpens the distribution, above 1 flattens it. Temperature 0 is greedy decoding, which
 * is not a filter: {@link SamplingParams} turns it into {@link SamplerChain#greedy}.
 *
 * @param temperature in (0, +inf), finite
 */
public record Temperature(double temperature) implements LogitsFilter {

    public Temperature {
        Logits.require(temperature > 0 && Double.isFinite(temperature),
                "temperature must be in (0, +inf) and finite, was " + temperature);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        // the largest finite logit; when some finite l / T would leave float's range (T = 1e-38), the
        // logits are shifted by it first: softmax does not see a constant shift, and (l - max) / T is
        // <= 0, so the largest stay finite and the others fall to -inf (probability 0) instead of the
        // largest rising to +inf (no distribution at all)
        double max = Double.NEGATIVE_INFINITY;
        double maxAbs = 0;
        for (float l : logits) {
            if (Float.isFinite(l)) {
                max = Math.max(max, l);
                maxAbs = Math.max(maxAbs, Math.abs(l));
            }
        }
        double shift = maxAbs / temperature > Float.MAX_VALUE ? max : 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) ((logits[i] - shift) / temperature);
        }
    }
}
