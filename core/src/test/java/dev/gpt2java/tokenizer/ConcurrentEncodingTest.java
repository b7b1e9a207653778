package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** One tokenizer encodes on many threads at once, its shared cache filling and starting over meanwhile. */
class ConcurrentEncodingTest {

    @Test
    void threadsSharingATokenizerGetWhatAFreshOneGivesOnOneThread() throws Exception {
        Gpt2Tokenizer fresh = Gpt2Tokenizer.fromOpenAi(TestData.data("gpt2/encoder.json"), TestData.data("gpt2/vocab.bpe"));
        Gpt2Tokenizer shared = Gpt2Tokenizer.fromOpenAi(TestData.data("gpt2/encoder.json"), TestData.data("gpt2/vocab.bpe"));
        int threads = 4;
        int perThread = 25_000; // enough distinct pieces to fill the cache (2^16) and start it over
        List<List<String>> texts = new ArrayList<>();
        List<List<int[]>> want = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            RandomText gen = new RandomText(1000L + t, true);
            List<String> mine = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                String s = gen.next();
                mine.add(s);
                ids.add(fresh.encode(s, i % 3 == 0));
            }
            texts.add(mine);
            want.add(ids);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String s = texts.get(tt).get(i);
                        assertArrayEquals(want.get(tt).get(i), shared.encode(s, i % 3 == 0), Show.literal(s));
                    }
                    return perThread;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(perThread, f.get());
            }
        }
    }

    @Test
    void theCacheFillsUpAndStartsOverRatherThanGrow() throws IOException {
        Gpt2Tokenizer tok = Gpt2Tokenizer.fromOpenAi(TestData.data("gpt2/encoder.json"), TestData.data("gpt2/vocab.bpe"));
        RandomText gen = new RandomText(5L, true);
        int largest = 0;
        boolean startedOver = false;
        for (int i = 0; i < 60_000; i++) {
            tok.encode(gen.next());
            int size = tok.cacheSize();
            assertTrue(size <= Gpt2Tokenizer.CACHE_MAX_ENTRIES, "cache size " + size);
            startedOver |= size < largest;
            largest = Math.max(largest, size);
        }
        assertEquals(Gpt2Tokenizer.CACHE_MAX_ENTRIES, largest);
        assertTrue(startedOver);
    }
}
