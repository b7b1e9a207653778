package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An inconsistent vocabulary is refused when it is loaded, with a message that says what is wrong. */
class VocabularyChecksTest {

    /** The 256 byte tokens, then {@code ab abc <|end|> <|x <|x|>} (256 .. 260). */
    private static List<String> tokens() {
        List<String> t = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            t.add(String.valueOf(ByteLevel.charOf(b)));
        }
        t.addAll(List.of("ab", "abc", "<|end|>", "<|x", "<|x|>"));
        return t;
    }

    private static void assertRefused(List<String> tokens, List<String> merges, Map<String, Integer> special, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gpt2Tokenizer.fromVocab(tokens, merges, special));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aSmallConsistentVocabularyWorks() {
        Gpt2Tokenizer tok = Gpt2Tokenizer.fromVocab(tokens(), List.of("a b", "ab c"), Map.of("<|end|>", 258));
        assertArrayEquals(new int[] {256, 'd', 257}, tok.encode("abdabc"));
        assertArrayEquals(new int[] {256, 258}, tok.encode("ab<|end|>", true));
        assertArrayEquals(new int[] {'<', '|', 'e', 'n', 'd', '|', '>'}, tok.encode("<|end|>"));
        assertEquals("ab<|end|>", tok.decode(new int[] {256, 258}));
    }

    @Test
    void everyByteNeedsAToken() {
        List<String> t = tokens();
        t.set(0x20, "Ġx"); // the space's token, renamed
        assertRefused(t, List.of(), Map.of(), "no token for byte 0x20 (\"Ġ\")");
        assertRefused(List.of("a"), List.of(), Map.of(), "at least 256 tokens");
    }

    @Test
    void mergesMustJoinKnownTokensIntoAKnownToken() {
        assertRefused(tokens(), List.of("a b", "b c"), Map.of(), "merge 1 \"b c\": \"bc\" is not in the vocabulary");
        assertRefused(tokens(), List.of("a  b"), Map.of(), "not two tokens");
        assertRefused(tokens(), List.of("ab"), Map.of(), "not two tokens");
        assertRefused(tokens(), List.of("a b", "a b"), Map.of(), "merge 1 repeats merge 0");
    }

    @Test
    void tokensAreUniqueAndSpecialIdsInRange() {
        List<String> t = tokens();
        t.add("ab");
        assertRefused(t, List.of(), Map.of(), "token \"ab\" has ids 256 and 261");
        assertRefused(tokens(), List.of(), Map.of("<|end|>", 261), "out of range 0..260");
        assertRefused(tokens(), List.of(), Map.of("", 258), "empty text");
        assertRefused(tokens(), List.of(), Map.of("<|a|>", 258, "<|b|>", 258), "given twice");
    }

    @Test
    void aTokenOutsideTheByteAlphabetStandsForItsOwnText() {
        List<String> t = tokens();
        t.set(257, "<unk> é");
        Gpt2Tokenizer tok = Gpt2Tokenizer.fromVocab(t, List.of(), Map.of());
        assertEquals("<unk> é", tok.decode(new int[] {257}));
    }

    @Test
    void theLongestSpecialTokenWinsWhereTwoStartTogether() {
        Gpt2Tokenizer tok = Gpt2Tokenizer.fromVocab(tokens(), List.of("a b"), Map.of("<|x", 259, "<|x|>", 260));
        assertArrayEquals(new int[] {'a', 260, 'a', 259, 'a'}, tok.encode("a<|x|>a<|xa", true));
    }

    @Test
    void huggingFaceFilesWithGapsInTheIdsAreRefused(@TempDir Path dir) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.charOf(b));
            json.append(dev.gpt2java.internal.FileText.quote(c)).append(": ").append(b == 255 ? 300 : b).append(", ");
        }
        json.setLength(json.length() - 2);
        json.append("}");
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, json);
        Path merges = dir.resolve("merges.txt");
        Files.writeString(merges, "#version: 0.2\n");
        IOException e = assertThrows(IOException.class, () -> Gpt2Tokenizer.fromHuggingFace(vocab, merges));
        assertTrue(e.getMessage().contains("id 300"), e.getMessage());
    }

    @Test
    void filesThatAreNotUtf8OrJsonAreRefusedWithTheirName(@TempDir Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        Files.write(vocab, new byte[] {'{', '"', (byte) 0xC3, '"', ':', '0', '}'});
        Files.writeString(merges, "#version: 0.2\n");
        IOException e = assertThrows(IOException.class, () -> Gpt2Tokenizer.fromHuggingFace(vocab, merges));
        assertTrue(e.getMessage().contains("vocab.json: not valid UTF-8"), e.getMessage());
        Files.writeString(vocab, "{\"a\": 0,}", StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> Gpt2Tokenizer.fromHuggingFace(vocab, merges));
        assertTrue(e.getMessage().contains("vocab.json: line 1, column 9"), e.getMessage());
        assertThrows(IOException.class, () -> Gpt2Tokenizer.fromHuggingFace(dir.resolve("missing.json"), merges));
    }

    @Test
    void mergesFilesMayEndLinesWithCrLf(@TempDir Path dir) throws IOException {
        Path fixture = TestData.fixture("tiny-odd-heads", "merges.txt");
        Path crlf = dir.resolve("merges.txt");
        Files.writeString(crlf, Files.readString(fixture).replace("\n", "\r\n"));
        Path vocab = TestData.fixture("tiny-odd-heads", "vocab.json");
        Gpt2Tokenizer a = Gpt2Tokenizer.fromHuggingFace(vocab, fixture);
        Gpt2Tokenizer b = Gpt2Tokenizer.fromHuggingFace(vocab, crlf);
        assertEquals(a.mergeCount(), b.mergeCount());
        assertArrayEquals(a.encode("Hello world, the quick brown fox."), b.encode("Hello world, the quick brown fox."));
    }
}
