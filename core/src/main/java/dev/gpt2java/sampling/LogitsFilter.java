package dev.gpt2java.sampling;

/**
 * One stage of a {@link SamplerChain}: changes the logits of one position in place, given the
 * tokens so far. A filter removes a token by setting its logit to {@code -Infinity}; the chain's
 * final draw is over {@code softmax(logits)}, so what a filter leaves is renormalised there.
 *
 * <p>Filters read {@code history} (prompt first, then the generated tokens) but do not keep it;
 * the ones here are immutable records, safe to share between chains and threads.
 */
@FunctionalInterface
public interface LogitsFilter {

    void apply(float[] logits, int[] history);
}
