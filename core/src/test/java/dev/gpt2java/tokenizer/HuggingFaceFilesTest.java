package dev.gpt2java.tokenizer;

import dev.gpt2java.testsupport.Json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Hugging Face's {@code vocab.json} + {@code merges.txt}: the committed fixture (GPT-2's first 999
 * tokens and {@code <|endoftext|>} as id 999) gives the ids that transformers' GPT2Tokenizer gave, which
 * {@code fixtures/make_hf_fixtures.py} wrote to {@code tokenizer-cases.json}.
 */
class HuggingFaceFilesTest {

    private static Gpt2Tokenizer fixtureTokenizer() throws IOException {
        return Gpt2Tokenizer.fromHuggingFace(TestData.fixture("tiny-odd-heads", "vocab.json"),
                TestData.fixture("tiny-odd-heads", "merges.txt"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() throws IOException {
        return (List<Map<String, Object>>) Json.parse(
                Files.readString(TestData.fixture("tiny-odd-heads", "tokenizer-cases.json")));
    }

    private static int[] ids(Map<String, Object> c) {
        return Json.ints(c.get("ids"));
    }

    @Test
    void theFixtureVocabularyLoadsWithEndOfTextAsItsSpecialToken() throws IOException {
        Gpt2Tokenizer tok = fixtureTokenizer();
        assertEquals(1000, tok.vocabSize());
        assertEquals(743, tok.mergeCount());
        assertEquals(Map.of("<|endoftext|>", 999), tok.specialTokens());
    }

    @Test
    void idsEqualTransformersGpt2TokenizerOnTheFixtureCases() throws IOException {
        Gpt2Tokenizer tok = fixtureTokenizer();
        List<Map<String, Object>> cases = cases();
        assertEquals(5, cases.size());
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            // transformers recognises added tokens in text by default
            assertArrayEquals(ids(c), tok.encode(text, true), Show.literal(text));
            assertEquals(text, tok.decode(ids(c)));
        }
    }

    @Test
    void aModelsVocabularyFromItsGgufGivesTheSameIdsAsItsHuggingFaceFiles() throws IOException {
        // what Gpt2Model hands to fromVocab: tokenizer.ggml.tokens, .merges, and the control tokens
        GgufVocab v = GgufVocab.read(TestData.fixture("tiny-odd-heads", "model-f32.gguf"));
        Gpt2Tokenizer fromGguf = Gpt2Tokenizer.fromVocab(v.tokens(), v.merges(), v.controlTokens());
        Gpt2Tokenizer fromHf = fixtureTokenizer();
        assertEquals(fromHf.specialTokens(), fromGguf.specialTokens());
        for (Map<String, Object> c : cases()) {
            assertArrayEquals(ids(c), fromGguf.encode((String) c.get("text"), true));
        }
        RandomText gen = new RandomText(21L, true);
        for (int i = 0; i < 20_000; i++) {
            String s = gen.next();
            assertArrayEquals(fromHf.encode(s, i % 2 == 0), fromGguf.encode(s, i % 2 == 0), Show.literal(s));
        }
    }

    @Test
    void aTruncatedVocabularyStillRoundTripsAnyText() throws IOException {
        Gpt2Tokenizer tok = fixtureTokenizer();
        RandomText gen = new RandomText(22L, false);
        for (int i = 0; i < 20_000; i++) {
            String s = gen.next();
            int[] ids = tok.encode(s);
            assertEquals(s, tok.decode(ids));
            assertTrue(java.util.Arrays.stream(ids).allMatch(id -> id < 999), "no special token from plain text");
        }
    }
}
