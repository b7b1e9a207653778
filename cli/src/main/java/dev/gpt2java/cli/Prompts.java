package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

/** What the commands that read a prompt share: its tokens, and the room the context leaves after it. */
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

    /** {@code asked} new tokens, or fewer if the model's context ends first; fails if it has no room left. */
    static int newTokens(Gpt2Model model, int[] prompt, int asked) {
        int room = Math.min(asked, model.nCtxTrain() - prompt.length);
        if (room < 1) {
            throw new IllegalArgumentException("the prompt fills the model's context (" + model.nCtxTrain() + " tokens)");
        }
        return room;
    }

    /** The model's EOS token, or none with {@code --ignore-eos} (or a model without one). */
    static int[] eosIds(Gpt2Model model, boolean ignoreEos) {
        return ignoreEos || model.eosToken() < 0 ? new int[0] : new int[] {model.eosToken()};
    }
}
