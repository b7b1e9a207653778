package dev.gpt2java.sampling;

/**
 * The OpenAI / llama.cpp penalties over the last {@code lastN} tokens: a token seen {@code c > 0}
 * times in the window gets {@code logit -= presence + c * frequency}. Positive values discourage
 * repeats, negative ones encourage them.
 *
 * @param presence  finite, in (-inf, +inf); 0 is off
 * @param frequency finite, in (-inf, +inf); 0 is off
 * @param lastN     the window: -1 for the whole history, else in [0, +inf) (0: no token is penalised)
 */
public record PresenceFrequencyPenalty(double presence, double frequency, int lastN) implements LogitsFilter {

    public PresenceFrequencyPenalty {
        Logits.require(Double.isFinite(presence), "presencePenalty must be finite, in (-inf, +inf), was " + presence);
        Logits.require(Double.isFinite(frequency), "frequencyPenalty must be finite, in (-inf, +inf), was " + frequency);
        Logits.requireLastN(lastN);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        int[] count = new int[logits.length];
        for (int token : Logits.window(history, lastN)) {
            count[Logits.checkedToken(token, logits.length)]++;
        }
        for (int t = 0; t < logits.length; t++) {
            if (count[t] > 0) {
                logits[t] = (float) (logits[t] - (presence + count[t] * frequency));
            }
        }
    }
}
