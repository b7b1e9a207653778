package dev.gpt2java.sampling;

/**
 * Picks the next token from the logits of one position.
 *
 * <p>{@code logits} is the model's output for the position ({@code nVocab} values); a sampler may
 * change it in place (a chain of filters does). {@code history} holds the tokens so far, prompt
 * first, then the generated ones (repetition penalties and n-gram rules read it). Samplers that draw
 * at random own their seeded generator, so a run is reproducible.
 */
@FunctionalInterface
public interface Sampler {

    int sample(float[] logits, int[] history);

    /** Greedy: the most likely token (the lowest id on a tie, as {@code torch.argmax}). */
    Sampler GREEDY = (logits, history) -> Logits.argmax(logits);
}
