package dev.gpt2java.sampling;

/**
 * Hugging Face's {@code RepetitionPenaltyLogitsProcessor} (Keskar et al. 2019, CTRL) over the last
 * {@code lastN} tokens: each distinct token of that window gets its logit divided by
 * {@code penalty} where positive, multiplied where negative, so a penalty above 1 makes repeats
 * less likely and below 1 more likely. Counts do not matter, only presence.
 *
 * @param penalty in (0, +inf), finite; 1 changes nothing
 * @param lastN   the window: -1 for the whole history, else in [0, +inf) (0: no token is penalised)
 */
public record RepetitionPenalty(double penalty, int lastN) implements LogitsFilter {

    public RepetitionPenalty {
        Logits.require(penalty > 0 && Double.isFinite(penalty),
                "repetitionPenalty must be in (0, +inf) and finite, was " + penalty);
        Logits.requireLastN(lastN);
    }

    @Override
    public void apply(float[] logits, int[] history) {
        boolean[] seen = new boolean[logits.length];
        for (int token : Logits.window(history, lastN)) {
            int t = Logits.checkedToken(token, logits.length);
            if (!seen[t]) {
                seen[t] = true;
                float l = logits[t];
                logits[t] = (float) (l < 0 ? l * penalty : l / penalty);
            }
        }
    }
}
