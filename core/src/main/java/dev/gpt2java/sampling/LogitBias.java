package dev.gpt2java.sampling;

import java.util.Map;

/**
 * Adds a fixed bias to the logits of chosen tokens (OpenAI's {@code logit_bias}; Hugging Face's
 * {@code SequenceBiasLogitsProcessor} with one-token sequences). A bias of {@code -Infinity} bans
 * the token.
 *
 * @param bias token id (in [0, +inf), below the vocabulary size when applied) to bias: finite or
 *             {@code -Infinity}; copied
 */
public record LogitBias(Map<Integer, Float> bias) implements LogitsFilter {

    public LogitBias {
        bias = Map.copyOf(bias);
        bias.forEach((token, b) -> {
            Logits.require(token >= 0, "logitBias token must be in [0, nVocab), was " + token);
            Logits.require(!b.isNaN() && b != Float.POSITIVE_INFINITY,
                    "logitBias of token " + token + " must be finite or -Infinity, in [-inf, +inf), was " + b);
        });
    }

    /** Bans the given tokens (bias {@code -Infinity}). */
    public static LogitBias ban(int... tokens) {
        var m = new java.util.HashMap<Integer, Float>();
        for (int t : tokens) {
            m.put(t, Float.NEGATIVE_INFINITY);
        }
        return new LogitBias(m);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        bias.forEach((token, b) -> {
            if (token >= logits.length) {
                throw new IllegalArgumentException("logitBias token " + token + " is outside the vocabulary [0, " + logits.length + ")");
            }
            logits[token] += b;
        });
    }
}
