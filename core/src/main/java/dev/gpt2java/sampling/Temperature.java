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
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (logits[i] / temperature);
        }
    }
}
