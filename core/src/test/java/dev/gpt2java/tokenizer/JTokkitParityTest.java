package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.Encoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Token ids equal JTokkit's r50k_base (tiktoken's GPT-2 encoding, an implementation we did not write)
 * on whole corpora and on a million generated strings: 0 mismatches.
 */
class JTokkitParityTest {

    private static final int GENERATED = 1_000_000;
    private static final int EOT = 50256;

    private static int[] oracle(String text) {
        return TestData.jtokkit().encodeOrdinary(Show.withoutLoneSurrogates(text)).toArray();
    }

    /**
     * Compares a list of texts on all cores (the tokenizer and JTokkit are both thread-safe), collecting
     * the first mismatches rather than stopping at one.
     */
    private static void assertSameIds(List<String> texts, String what) {
        Gpt2Tokenizer tok = TestData.gpt2();
        AtomicInteger mismatches = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        Queue<String> examples = new ConcurrentLinkedQueue<>();
        texts.parallelStream().forEach(text -> {
            int[] ours = tok.encode(text);
            int[] theirs = oracle(text);
            tokens.addAndGet(theirs.length);
            if (!Arrays.equals(ours, theirs) && mismatches.incrementAndGet() <= 5) {
                examples.add(Show.mismatch(text.length() > 200 ? "(long text)" : text, ours, theirs));
            }
        });
        assertTrue(tokens.get() > 0);
        assertEquals(0, mismatches.get(), mismatches + " of " + texts.size() + " " + what
                + " differ from JTokkit r50k_base (" + tokens + " tokens), e.g.\n" + String.join("\n", examples));
    }

    @Test
    void kingJamesBibleGivesTheSameIdsAsJTokkit() throws IOException {
        String kjv = Files.readString(TestData.data("kjv.txt"));
        assertEquals(31102, kjv.lines().count(), "KJV verses");
        int[] ours = TestData.gpt2().encode(kjv);
        int[] theirs = oracle(kjv);
        assertTrue(theirs.length > 900_000, "KJV tokens: " + theirs.length);
        assertArrayEquals(theirs, ours, "KJV");
    }

    @Test
    void stateOfTheUnionAddressesGiveTheSameIdsAsJTokkit() throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path p : TestData.sotuFiles()) {
            texts.add(Files.readString(p));
        }
        assertSameIds(texts, "State of the Union addresses");
    }

    @Test
    void generatedStringsGiveTheSameIdsAsJTokkit() {
        RandomText gen = new RandomText(20261126L, true);
        List<String> texts = new ArrayList<>(GENERATED);
        for (int i = 0; i < GENERATED; i++) {
            texts.add(gen.next());
        }
        assertSameIds(texts, "generated strings");
    }

    @Test
    void generatedStringsWithSpecialTokensAllowedGiveJTokkitsIdsAroundEndOfText() {
        // JTokkit 1.1.0 cannot encode special tokens: its ids of the text between them, joined by 50256
        Gpt2Tokenizer tok = TestData.gpt2();
        Encoding jt = TestData.jtokkit();
        RandomText gen = new RandomText(77L, false);
        int mismatches = 0;
        int withEot = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < GENERATED / 10; i++) {
            String text = gen.next();
            IntStream.Builder want = IntStream.builder();
            String[] parts = text.split("<\\|endoftext\\|>", -1);
            withEot += parts.length > 1 ? 1 : 0;
            for (int p = 0; p < parts.length; p++) {
                if (p > 0) {
                    want.add(EOT);
                }
                for (int id : jt.encodeOrdinary(parts[p]).toArray()) {
                    want.add(id);
                }
            }
            int[] theirs = want.build().toArray();
            int[] ours = tok.encode(text, true);
            if (!Arrays.equals(ours, theirs)) {
                mismatches++;
                if (examples.size() < 5) {
                    examples.add(Show.mismatch(text, ours, theirs));
                }
            }
        }
        assertTrue(withEot > 1000, "strings with <|endoftext|>: " + withEot);
        assertEquals(0, mismatches, String.join("\n", examples));
    }
}
