package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The text a command works on (a prompt, for the commands that continue it): its argument, or stdin
 * when the argument is absent or {@code -}; and {@code --special}, how {@code <|endoftext|>} in it is read.
 */
final class TextInput {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Parameters(arity = "0..1", paramLabel = "TEXT",
            description = "The text (the prompt); absent or '-': stdin (UTF-8, one trailing line break dropped).")
    String text;

    @Option(names = "--special", description = "Take <|endoftext|> in the text as the special token "
            + "(default: as plain text, 7 ordinary tokens).")
    boolean special;

    /**
     * The argument itself, or all of stdin as UTF-8 without one trailing line break (so that
     * {@code echo text | gpt2 tokenize} sees {@code text}).
     */
    String read() throws IOException {
        if (text != null && !text.equals("-")) {
            return text;
        }
        String s = new String(((Gpt2Cli) mixee.root().userObject()).stdin().readAllBytes(), StandardCharsets.UTF_8);
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** {@code input} (what {@link #read} gave) as a prompt of {@code model}: {@link Prompts#tokens}. */
    int[] tokens(Gpt2Model model, String input) {
        return Prompts.tokens(model, model.tokenizer(), input, special);
    }
}
