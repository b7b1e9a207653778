package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KV cache is transparent: however tokens reach it (one by one, batched with other sequences,
 * forked by seqCopy, cut by seqTruncate), the logits are those of evaluating each sequence afresh.
 */
class KvCacheSemanticsTest {

    /**
     * Different batch shapes make ggml pick different matmul kernels and summation orders, so results
     * agree to float rounding, not bit for bit. Measured differences are ~1e-7 of max|logit|; a wrong
     * position or a leaked cell shows as 1e-2 or more.
     */
    static final double TOL = 1e-5;

    static Gpt2Model model;
    static int nVocab;

    @BeforeAll
    static void load() {
        Path f = TestSupport.randomModel("kv-cache", "model", TestSupport.smallParams());
        model = Gpt2Model.load(f);
        nVocab = model.nVocab();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] tokens(long seed, int n) {
        return new Random(seed).ints(n, 0, nVocab).toArray();
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Logits at every position of {@code prompt}, evaluated in one batch by a fresh session. */
    static float[][] fresh(int[] prompt) {
        try (Session s = model.newSession(SessionParams.defaults())) {
            int n = s.eval(Batch.builder().addAllLogits(0, prompt).build());
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = s.logits(i);
            }
            return out;
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        double err = TestSupport.relErr(actual, expected);
        assertTrue(err <= TOL, what + ": max|diff|/max|ref| = " + err + " > " + TOL);
    }

    @Test
    void tokenByTokenDecodingEqualsOneFullPromptEval() {
        int[] prompt = tokens(1, 40);
        float[][] full = fresh(prompt);
        double worst = 0;
        try (Session s = model.newSession(SessionParams.defaults())) {
            for (int i = 0; i < prompt.length; i++) {
                float[] step = s.eval(0, prompt[i]);
                assertClose(full[i], step, "position " + i);
                worst = Math.max(worst, TestSupport.relErr(step, full[i]));
            }
            assertEquals(prompt.length, s.seqLength(0));
        }
        System.out.printf("token-by-token vs full prompt: max rel diff %.3g%n", worst);
    }

    @Test
    void batchOfThreeSequencesEqualsEvaluatingThemOneAtATime() {
        int[][] prompts = {tokens(2, 11), tokens(3, 5), tokens(4, 17)};
        try (Session s = model.newSession(SessionParams.defaults().withNSeqMax(3))) {
            Batch.Builder b = Batch.builder();
            // interleave the sequences token by token, every token asking for logits
            for (int i = 0; i < 17; i++) {
                for (int q = 0; q < 3; q++) {
                    if (i < prompts[q].length) {
                        b.add(prompts[q][i], q, true);
                    }
                }
            }
            int rows = s.eval(b.build());
            assertEquals(11 + 5 + 17, rows);
            int[] seen = new int[3];
            float[][][] expected = {fresh(prompts[0]), fresh(prompts[1]), fresh(prompts[2])};
            Batch built = b.build();
            for (int r = 0; r < rows; r++) {
                int q = built.seqId(s.outputTokenIndex(r));
                assertClose(expected[q][seen[q]], s.logits(r), "sequence " + q + " position " + seen[q]);
                seen[q]++;
            }
            // then one more token for each, in one batch, logits by default rule of Batch.of-style adds
            int[] next = {7, 8, 9};
            Batch step = Batch.builder().add(0, next[0]).add(1, next[1]).add(2, next[2]).build();
            assertEquals(3, s.eval(step));
            for (int q = 0; q < 3; q++) {
                float[][] ref = fresh(concat(prompts[q], new int[] {next[q]}));
                assertClose(ref[ref.length - 1], s.logits(q), "sequence " + q + " after one more token");
            }
        }
    }

    @Test
    void copiedSequencesShareCellsAndDivergeAsIfFresh() {
        int[] prompt = tokens(5, 12);
        int[][] continuations = {tokens(6, 3), tokens(7, 4), tokens(8, 1)};
        try (Session s = model.newSession(SessionParams.defaults().withNSeqMax(3))) {
            s.eval(0, prompt);
            s.seqCopy(0, 1);
            s.seqCopy(0, 2);
            assertEquals(prompt.length, s.seqLength(2));
            assertEquals(prompt.length, s.kvUsedCells(), "copies share the prompt's cells");
            for (int q = 0; q < 3; q++) {
                float[] got = s.eval(q, continuations[q]);
                float[][] ref = fresh(concat(prompt, continuations[q]));
                assertClose(ref[ref.length - 1], got, "sequence " + q);
            }
            assertEquals(prompt.length + 3 + 4 + 1, s.kvUsedCells(), "only the continuations took new cells");
        }
    }

    @Test
    void truncateThenReEvaluateGivesTheOriginalLogits() {
        int[] prompt = tokens(9, 20);
        try (Session s = model.newSession(SessionParams.defaults())) {
            float[] original = s.eval(0, prompt);
            s.seqTruncate(0, 12);
            assertEquals(12, s.seqLength(0));
            assertEquals(12, s.kvUsedCells(), "truncated cells are freed");
            float[] again = s.eval(0, Arrays.copyOfRange(prompt, 12, 20));
            assertClose(original, again, "re-evaluated tail");

            // and a different tail after truncation equals a fresh evaluation of prefix + that tail
            s.seqTruncate(0, 12);
            int[] other = tokens(10, 5);
            float[] diverged = s.eval(0, other);
            float[][] ref = fresh(concat(Arrays.copyOf(prompt, 12), other));
            assertClose(ref[ref.length - 1], diverged, "different tail");
        }
    }

    @Test
    void clearedSequenceStartsOver() {
        int[] a = tokens(11, 9);
        int[] b = tokens(12, 6);
        try (Session s = model.newSession(SessionParams.defaults().withNSeqMax(2))) {
            s.eval(0, a);
            s.eval(1, a);
            s.seqClear(0);
            assertEquals(0, s.seqLength(0));
            assertEquals(9, s.seqLength(1));
            float[][] ref = fresh(b);
            assertClose(ref[ref.length - 1], s.eval(0, b), "after seqClear");
            s.clearAll();
            assertEquals(0, s.kvUsedCells());
        }
    }
}
