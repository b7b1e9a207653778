package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** BPE merges by rank, leftmost first on a tie; its two algorithms agree; long pieces stay fast. */
class BpeTest {

    /** A toy vocabulary: bytes as themselves, then "ab", "abab", "ba", "aa", "aaa" (ranks 0..4). */
    private static Gpt2Tokenizer toy() {
        List<String> tokens = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
        }
        tokens.addAll(List.of("ab", "abab", "ba", "aa", "aaa"));
        return Gpt2Tokenizer.fromVocab(tokens, List.of("a b", "ab ab", "b a", "a a", "aa a"), Map.of());
    }

    private static int id(String token) {
        return switch (token) {
            case "ab" -> 256;
            case "abab" -> 257;
            case "ba" -> 258;
            case "aa" -> 259;
            case "aaa" -> 260;
            default -> token.charAt(0);
        };
    }

    @Test
    void theBestRankedPairMergesFirst() {
        // "bab": "b a" (rank 2) loses to "a b" (rank 0)
        assertArrayEquals(new int[] {id("b"), id("ab")}, toy().encode("bab"));
        assertArrayEquals(new int[] {id("abab")}, toy().encode("abab"));
    }

    @Test
    void onATieTheLeftmostPairMergesFirst() {
        // "aaaa": "a a" at 0 first, then "a a" at 2; "aa aa" is no merge
        assertArrayEquals(new int[] {id("aa"), id("aa")}, toy().encode("aaaa"));
        // "aaa": "a a" at 0, then "aa a"
        assertArrayEquals(new int[] {id("aaa")}, toy().encode("aaa"));
    }

    @Test
    void scanAndHeapGiveTheSameTokensOnGpt2() {
        Gpt2Tokenizer tok = TestData.gpt2();
        Bpe bpe = bpeOf(tok);
        SplittableRandom rnd = new SplittableRandom(5);
        RandomText gen = new RandomText(6L, false);
        for (int i = 0; i < 20_000; i++) {
            String s = i % 2 == 0 ? gen.next() : gen.next().repeat(1 + rnd.nextInt(5));
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length == 0) {
                continue;
            }
            assertArrayEquals(bpe.encodeScan(b, b.length), bpe.encodeHeap(b, b.length), Show.literal(s));
        }
    }

    @Test
    void longPiecesTakeTheHeapPathAndMatchJTokkit() {
        Gpt2Tokenizer tok = TestData.gpt2();
        for (String unit : List.of("a", "ab", "9", "-=", "é", "😀", " ")) {
            for (int n : List.of(Bpe.SCAN_MAX - 1, Bpe.SCAN_MAX, Bpe.SCAN_MAX + 1, 1000)) {
                String s = unit.repeat(n);
                assertArrayEquals(TestData.jtokkit().encodeOrdinary(s).toArray(), tok.encode(s), unit + " x " + n);
            }
        }
    }

    @Test
    void aMegabyteOfLettersWithoutASpaceEncodesQuickly() {
        Gpt2Tokenizer tok = TestData.gpt2();
        SplittableRandom rnd = new SplittableRandom(8);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1 << 20) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        String text = sb.toString();
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> tok.encode(text));
        assertTrue(ids.length > 100_000, "tokens: " + ids.length);
        assertEquals(text, tok.decode(ids));
    }

    private static Bpe bpeOf(Gpt2Tokenizer tok) {
        return tok.bpe();
    }
}
