package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.util.Arrays;

/** Prompt handling shared by {@code next} and {@code generate}. */
final class Prompts {

    private Prompts() {
    }

    /**
     * The prompt's tokens; an empty prompt is the BOS token (GPT-2's {@code <|endoftext|>}), as
     * unconditional generation starts. Fails if the prompt does not fit the model's context.
     */
    static int[] tokens(Gpt2Model model, Gpt2Tokenizer tokenizer, String text, boolean special) {
        int[] ids = tokenizer.encode(text, special);
        if (ids.length == 0) {
            if (model.bosToken() < 0) {
                throw new IllegalArgumentException("the prompt is empty and the model names no BOS token to start from");
            }
            ids = new int[] {model.bosToken()};
        }
        if (ids.length > model.nCtxTrain()) {
            throw new IllegalArgumentException("the prompt has " + ids.length + " tokens; the model holds at most "
                    + model.nCtxTrain() + " (its context)");
        }
        return ids;
    }

    /** Appends the prompt to sequence {@code seq} in batches of the session's nBatch; the last logits. */
    static float[] evalPrompt(Session session, int seq, int[] ids) {
        int nBatch = session.params().nBatch();
        float[] logits = null;
        for (int at = 0; at < ids.length; at += nBatch) {
            logits = session.eval(seq, Arrays.copyOfRange(ids, at, Math.min(ids.length, at + nBatch)));
        }
        return logits;
    }
}
