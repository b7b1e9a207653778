package dev.gpt2java.search;

/**
 * When beam search stops, as Hugging Face's {@code early_stopping} ({@code True}, {@code False},
 * {@code "never"}).
 */
public enum EarlyStopping {
    /** Stop as soon as {@code numBeams} hypotheses are finished. */
    TRUE,
    /**
     * Stop when the best running beam, normalized by its current length, cannot beat the worst
     * finished hypothesis (HF's default heuristic).
     */
    FALSE,
    /**
     * As {@link #FALSE}, but with a positive length penalty the running beam is normalized by
     * {@code maxNewTokens} (the length most in its favour): the canonical beam search.
     */
    NEVER
}
