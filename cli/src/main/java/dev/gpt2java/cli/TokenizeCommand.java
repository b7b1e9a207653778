package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 tokenize}: the token ids of a text and the text of each token. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Splits text into the model's tokens. Prints the ids on one line, then the text of each "
                + "token joined by '|' (e.g. Art|ificial| intelligence; \\n, \\t, \\| and \\\\ are escapes).",
                "A character whose bytes span several tokens is shown with the token that completes it."})
final class TokenizeCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = "--ids-only", description = "Print only the ids.")
    boolean idsOnly;

    @Override
    public Integer call() throws Exception {
        String text = input.read();
        Gpt2Tokenizer tokenizer;
        try (Gpt2Model m = model.load()) {
            tokenizer = m.tokenizer();
        }
        int[] ids = tokenizer.encode(text, input.special);
        PrintWriter out = out();
        out.println(idsLine(ids));
        if (!idsOnly) {
            out.println(piecesLine(tokenizer, ids));
        }
        out.flush();
        return 0;
    }

    /** The ids separated by spaces. */
    static String idsLine(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    /** The pieces, escaped, joined by '|'. */
    static String piecesLine(Gpt2Tokenizer tokenizer, int[] ids) {
        return tokenizer.pieces(ids).stream().map(p -> Display.escape(p, '|')).collect(Collectors.joining("|"));
    }
}
