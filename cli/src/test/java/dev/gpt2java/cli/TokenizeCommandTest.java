package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code gpt2 tokenize} prints exactly what the model's {@link Gpt2Tokenizer} gives. */
class TokenizeCommandTest {

    static Gpt2Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        try (Gpt2Model m = Gpt2Model.load(Cli.tinyModel())) {
            tokenizer = m.tokenizer();
        }
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void printsTheTokenizersIdsAndPieces() {
        String text = "Artificial intelligence, the quick brown fox.\nNew line\tand tab | bar";
        Cli.Result r = Cli.run("tokenize", "-m", Cli.model(), text);
        assertEquals(0, r.code(), r.err());
        int[] expected = tokenizer.encode(text);
        List<String> pieces = tokenizer.pieces(expected);
        assertEquals(2, r.outLines().size(), r.out());
        assertEquals(ids(expected), r.outLines().get(0));
        String joined = pieces.stream().map(p -> p.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
                .replace("|", "\\|")).collect(Collectors.joining("|"));
        assertEquals(joined, r.outLines().get(1));
        assertTrue(r.outLines().get(1).startsWith("A|r|t|ific|ial| int"), r.out()); // the truncated vocab's split
    }

    @Test
    void readsStdinWithoutTheTrailingLineBreak() {
        Cli.Result r = Cli.runWithStdin("héllo wörld\n", "tokenize", "-m", Cli.model(), "--ids-only");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(ids(tokenizer.encode("héllo wörld"))), r.outLines());
    }

    @Test
    void specialTokenTextIsPlainTextUnlessAsked() {
        String text = "a<|endoftext|>b";
        Cli.Result plain = Cli.run("tokenize", "--ids-only", "-m", Cli.model(), text);
        Cli.Result special = Cli.run("tokenize", "--ids-only", "--special", "-m", Cli.model(), text);
        assertEquals(ids(tokenizer.encode(text, false)), plain.out().strip());
        assertEquals(ids(tokenizer.encode(text, true)), special.out().strip());
        assertTrue(special.out().contains(" 999 "), special.out()); // <|endoftext|> of this vocabulary
    }
}
