package dev.gpt2java.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.testsupport.Npy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Inspector#trace} on tiny-odd-heads: shapes, the lens of the last block is the next-token distribution, bad
 * arguments. Its values against Hugging Face's: {@link TraceMatchesHuggingFaceTest}.
 */
class InspectorTest {

    static final int TOP_K = 5;
    static Gpt2Model model;
    static int[] prompt;
    static Trace trace;

    @BeforeAll
    static void traceThePrompt() throws Exception {
        model = Fixtures.tiny();
        prompt = Npy.read(Fixtures.file("tiny-odd-heads", "prompt.npy")).ints();
        long t0 = System.nanoTime();
        trace = Inspector.trace(model, prompt, TOP_K);
        System.out.printf("inspect: trace of %d tokens, %d layers, top-%d: %.1f ms%n", prompt.length, model.nLayer(),
                TOP_K, (System.nanoTime() - t0) / 1e6);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shapesTokensAndPieces() {
        int n = prompt.length, nLayer = model.nLayer();
        assertArrayEquals(prompt, trace.tokens());
        assertEquals(model.tokenizer().pieces(prompt), trace.pieces());
        assertEquals(nLayer, trace.nLayer());
        assertEquals(model.nHead(), trace.nHead());
        assertEquals(nLayer + 2, trace.hidden().length);
        assertEquals((nLayer + 1) * n, trace.lens().size());
        assertEquals(TOP_K, trace.nextToken().size());
        assertEquals(TOP_K, trace.nextToken().pieces().size());
        for (int l = 0; l <= nLayer; l++) {
            for (int p = 0; p < n; p += 7) {
                LensEntry e = trace.lens(l, p);
                assertEquals(l, e.layer());
                assertEquals(p, e.position());
                assertEquals(TOP_K, e.ids().length);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> trace.lens(nLayer + 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> trace.lens(0, n));
    }

    @Test
    void lensOfTheLastBlockIsTheNextTokenDistribution() {
        LensEntry last = trace.lens(model.nLayer(), prompt.length - 1);
        TopTokens next = trace.nextToken();
        assertArrayEquals(next.ids(), last.ids());
        double worst = 0;
        for (int i = 0; i < TOP_K; i++) {
            worst = Math.max(worst, Math.abs(next.prob(i) - last.probs()[i]));
        }
        System.out.printf("inspect: last-block lens vs next-token top-%d probs: max diff %.3g (top-1 p = %.4f)%n",
                TOP_K, worst, next.prob(0));
        assertTrue(worst <= 1e-5, "lens vs next-token probabilities: " + worst);
        double sum = Arrays.stream(next.probs()).sum();
        assertTrue(sum > 0 && sum <= 1 + 1e-9, "top-k mass " + sum);
        // the pieces are the tokens' texts
        assertEquals(model.tokenizer().pieces(new int[] {next.id(0)}).get(0), next.pieces().get(0));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[0], 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {1, 2}, model.nVocab() + 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {model.nVocab()}, 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[model.nCtxTrain() + 1], 1));
        assertThrows(IllegalArgumentException.class, () -> new TopTokens(new int[] {1, 2}, List.of("a", "b"), new double[] {0.1, 0.2}));
        TopTokens one = new TopTokens(new int[] {1}, List.of("a"), new double[] {0.1});
        assertThrows(IllegalArgumentException.class, () -> new LensEntry(-1, 0, one));
        assertThrows(IllegalArgumentException.class, () -> new LensEntry(0, -1, one));
        assertThrows(IllegalArgumentException.class, () -> new TopTokens(new int[] {1}, List.of(), new double[] {0.1}));
    }
}
