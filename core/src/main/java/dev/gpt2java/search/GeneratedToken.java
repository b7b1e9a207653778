package dev.gpt2java.search;

import java.util.List;
import java.util.Objects;

/**
 * One step of a streaming generation.
 *
 * @param token       the token chosen
 * @param text        the text this step releases: the characters the token completes, less what is held
 *                    back while it may begin a stop string (released by a later step), and with the
 *                    held-back text added on the last step; "" for EOS unless text was held back
 * @param logprob     the token's log-probability under the model (log-softmax of the raw logits)
 * @param topLogprobs the most likely tokens of the step, best first (as many as
 *                    {@link GenerationParams#topLogprobs()}; empty when not asked for)
 */
public record GeneratedToken(int token, String text, double logprob, List<TokenLogprob> topLogprobs) {

    public GeneratedToken {
        Objects.requireNonNull(text, "text");
        topLogprobs = List.copyOf(topLogprobs);
    }
}
