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

/** {@link Inspector#trace} on tiny-odd-heads against Hugging Face's attentions and hidden states. */
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
    void attentionAndHiddenStatesEqualHuggingFace() throws Exception {
        Npy att = Npy.read(Fixtures.file("tiny-odd-heads", "attentions.npy"));
        Npy hid = Npy.read(Fixtures.file("tiny-odd-heads", "hidden.npy"));
        int n = prompt.length, nLayer = model.nLayer(), nHead = model.nHead(), nEmbd = model.nEmbd();
        assertArrayEquals(new int[] {nLayer, nHead, n, n}, att.shape());
        assertArrayEquals(new int[] {nLayer + 1, n, nEmbd}, hid.shape());
        double worstAtt = 0;
        for (int l = 0; l < nLayer; l++) {
            float[] ref = att.slice(l);
            for (int h = 0; h < nHead; h++) {
                for (int q = 0; q < n; q++) {
                    for (int k = 0; k < n; k++) {
                        worstAtt = Math.max(worstAtt, Math.abs(trace.attention()[l][h][q][k] - ref[(h * n + q) * n + k]));
                    }
                }
            }
        }
        double worstRel = 0, worstAbs = 0;
        for (int i = 0; i <= nLayer; i++) {
            int ours = i < nLayer ? i : nLayer + 1; // HF's last entry is after ln_f
            float[] ref = hid.slice(i);
            double scale = 0, d = 0;
            for (float x : ref) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < nEmbd; j++) {
                    d = Math.max(d, Math.abs(trace.hidden()[ours][t][j] - ref[t * nEmbd + j]));
                }
            }
            worstAbs = Math.max(worstAbs, d);
            worstRel = Math.max(worstRel, d / scale);
        }
        System.out.printf("inspect: attention max|ours-HF| = %.3g; hidden max|ours-HF| = %.3g abs, %.3g of max|HF|%n",
                worstAtt, worstAbs, worstRel);
        assertTrue(worstAtt <= 1e-4, "attention max|ours-HF| = " + worstAtt);
        assertTrue(worstRel <= 1e-4, "hidden max|ours-HF|/max|HF| = " + worstRel);
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
    void lensOnHuggingFacesHiddenStatesHasTheSameTop1() throws Exception {
        Npy hid = Npy.read(Fixtures.file("tiny-odd-heads", "hidden.npy"));
        int n = prompt.length, nLayer = model.nLayer(), nEmbd = model.nEmbd();
        int checked = 0, skipped = 0;
        for (int l = 0; l < nLayer; l++) { // HF's 0..nLayer-1 are ours: embeddings, blocks 1..nLayer-1
            float[] ref = hid.slice(l);
            float[][] rows = new float[n][];
            for (int t = 0; t < n; t++) {
                rows[t] = Arrays.copyOfRange(ref, t * nEmbd, (t + 1) * nEmbd);
            }
            float[][] logits = model.unembed(rows, true);
            for (int t = 0; t < n; t++) {
                int[] top2 = Dist.topIndices(logits[t], 2);
                double[] p = Dist.softmaxAt(logits[t], top2);
                if (p[0] - p[1] > 1e-3) {
                    assertEquals(top2[0], trace.lens(l, t).top(), "lens top-1 at layer " + l + ", position " + t
                            + " (HF margin " + (p[0] - p[1]) + ")");
                    checked++;
                } else {
                    skipped++;
                }
            }
        }
        System.out.printf("inspect: lens top-1 equal to HF's at %d (layer, position) cells, %d with margin <= 1e-3 skipped%n",
                checked, skipped);
        assertTrue(checked > n, "too few cells checked: " + checked);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[0], 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {1, 2}, model.nVocab() + 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[] {model.nVocab()}, 1));
        assertThrows(IllegalArgumentException.class, () -> Inspector.trace(model, new int[model.nCtxTrain() + 1], 1));
        assertThrows(IllegalArgumentException.class, () -> new LensEntry(0, 0, new int[] {1, 2}, new double[] {0.1, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> new LensEntry(-1, 0, new int[] {1}, new double[] {0.1}));
        assertThrows(IllegalArgumentException.class, () -> new TopTokens(new int[] {1}, List.of(), new double[] {0.1}));
    }
}
