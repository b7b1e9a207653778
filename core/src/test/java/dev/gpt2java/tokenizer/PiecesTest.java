package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Display pieces: one per token, joined they are the decoded text. */
class PiecesTest {

    @Test
    void eachTokenShowsItsText() {
        Gpt2Tokenizer tok = TestData.gpt2();
        assertEquals(List.of("Art", "ificial", " intelligence"), tok.pieces(tok.encode("Artificial intelligence")));
        assertEquals(List.of("Hello", " world", "<|endoftext|>"), tok.pieces(tok.encode("Hello world<|endoftext|>", true)));
    }

    @Test
    void aCharacterSpreadOverTokensIsShownWithTheTokenThatCompletesIt() {
        Gpt2Tokenizer tok = TestData.gpt2();
        // " 😀!" is [" \xF0\x9F\x98", "\x80", "!"]; "日本語" is three characters of two tokens each
        assertEquals(List.of(" ", "😀", "!"), tok.pieces(tok.encode(" 😀!")));
        assertEquals(List.of("", "日", "", "本", "", "語"), tok.pieces(tok.encode("日本語")));
    }

    @Test
    void aCharacterLeftUnfinishedIsAReplacementCharacterInTheLastPiece() {
        Gpt2Tokenizer tok = TestData.gpt2();
        // " 😀" is [" \xF0\x9F\x98", "\x80"]: without its last token, the emoji is cut off
        assertEquals(List.of(30325, 222), java.util.Arrays.stream(tok.encode(" 😀")).boxed().toList());
        assertEquals(List.of(" \uFFFD"), tok.pieces(new int[] {30325}));
    }

    @Test
    void piecesJoinToTheDecodedTextEvenWhenItIsBroken() {
        Gpt2Tokenizer tok = TestData.gpt2();
        RandomText gen = new RandomText(13L, false);
        for (int n = 0; n < 50_000; n++) {
            int[] ids = tok.encode(gen.next());
            // drop a token: characters may now be cut
            int[] cut = n % 2 == 0 || ids.length < 2 ? ids : java.util.Arrays.copyOfRange(ids, 1, ids.length);
            List<String> pieces = tok.pieces(cut);
            assertEquals(cut.length, pieces.size());
            assertEquals(Show.literal(tok.decode(cut)), Show.literal(String.join("", pieces)));
        }
    }

    @Test
    void noTokensNoPieces() {
        assertEquals(List.of(), TestData.gpt2().pieces(new int[0]));
    }
}
