package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** One model, several sessions on several threads: each gets exactly the logits of a single-threaded run. */
class ConcurrentSessionsTest {

    static final int THREADS = 4;
    static final int ROUNDS = 3;

    /** Greedy-decodes 12 tokens after {@code prompt}; returns every step's logits. */
    static List<float[]> decode(Gpt2Model m, int[] prompt) {
        List<float[]> out = new ArrayList<>();
        // one compute thread per session: the test is about sessions running side by side
        try (Session s = m.newSession(SessionParams.defaults().withThreads(1))) {
            float[] logits = s.eval(0, prompt);
            out.add(logits);
            for (int i = 0; i < 12; i++) {
                logits = s.eval(0, Gpt2.argmax(logits));
                out.add(logits);
            }
        }
        return out;
    }

    @Test
    void sessionsOnManyThreadsGiveTheSingleThreadedLogits() throws Exception {
        try (Gpt2Model m = Gpt2Model.load(TestSupport.randomModel("concurrent", "model", TestSupport.smallParams()))) {
            int[][] prompts = new int[THREADS][];
            List<List<float[]>> expected = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                prompts[t] = new Random(100 + t).ints(10, 0, m.nVocab()).toArray();
                expected.add(decode(m, prompts[t]));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<float[]>>> results = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    for (int t = 0; t < THREADS; t++) {
                        int[] prompt = prompts[t];
                        Callable<List<float[]>> job = () -> {
                            m.tokenText(prompt[0]);   // the vocabulary is read concurrently too
                            return decode(m, prompt);
                        };
                        results.add(pool.submit(job));
                    }
                }
                for (int i = 0; i < results.size(); i++) {
                    List<float[]> got = results.get(i).get();
                    List<float[]> want = expected.get(i % THREADS);
                    assertEquals(want.size(), got.size());
                    for (int step = 0; step < want.size(); step++) {
                        assertArrayEquals(want.get(step), got.get(step), "job " + i + " step " + step);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
