package dev.gpt2java.jvm;

import dev.gpt2java.inspect.Inspector;
import dev.gpt2java.inspect.LensEntry;
import dev.gpt2java.inspect.Trace;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.testsupport.Npy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Inspector#trace} equals what Hugging Face computes on the same weights, on both HF fixtures
 * and both engines (fixtures/README.md): the attention probabilities ({@code output_attentions}), the
 * hidden states ({@code output_hidden_states}) and the logit lens ({@code ln_f} then {@code lm_head} on
 * each hidden state: {@code lens-ids.npy}, {@code lens-probs.npy}, {@code lens-logits.npy}), all within
 * {@value #BOUND}.
 */
class TraceMatchesHuggingFaceTest {

    static final double BOUND = 1e-4;
    /** Tokens the trace keeps per lens cell; HF's files hold 20. */
    static final int TOP_K = 10;

    private record Traced(Gpt2Model model, Trace trace) {
    }

    private static final Map<String, Traced> TRACES = new HashMap<>();

    static Stream<Arguments> fixturesAndEngines() {
        List<Arguments> out = new ArrayList<>();
        for (String f : Fixtures.HF_MODELS) {
            for (Engine e : Engine.values()) {
                out.add(Arguments.of(f, e));
            }
        }
        return out.stream();
    }

    /** The trace of the fixture's prompt on that engine, made once per test class. */
    static synchronized Traced traced(String fixture, Engine engine) {
        return TRACES.computeIfAbsent(fixture + "/" + engine, key -> {
            Gpt2Model m = Fixtures.load(fixture, engine);
            int[] prompt = Npy.load(Fixtures.file(fixture, "prompt.npy")).ints();
            return new Traced(m, Inspector.trace(m, prompt, TOP_K));
        });
    }

    @AfterAll
    static synchronized void close() {
        TRACES.values().forEach(t -> t.model().close());
        TRACES.clear();
    }

    /** The fixture's HF array {@code file}, checked to have {@code shape}. */
    private static Npy huggingFace(String fixture, String file, int... shape) {
        Npy a = Npy.load(Fixtures.file(fixture, file));
        assertArrayEquals(shape, a.shape(), file);
        return a;
    }

    /** Prints {@code what = value} for the fixture and engine, and asserts the value is within BOUND. */
    private static void assertWithinBound(String fixture, Engine engine, String what, double value) {
        System.out.printf("inspect HF parity %-14s %-6s %s = %.3g (bound %.0e)%n", fixture, engine, what, value, BOUND);
        assertTrue(value <= BOUND, what + " = " + value);
    }

    /** max |x| over a (the scale of a relative difference). */
    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** max |ours[r][c] - ref[offset + r * cols + c]| over rows x cols: ours against a row-major block of ref. */
    private static double maxAbsDiff(float[][] ours, float[] ref, int offset, int rows, int cols) {
        double d = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                d = Math.max(d, Math.abs(ours[r][c] - ref[offset + r * cols + c]));
            }
        }
        return d;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndEngines")
    void attentionProbabilitiesEqualHuggingFace(String fixture, Engine engine) {
        Trace t = traced(fixture, engine).trace();
        int n = t.length(), nLayer = t.nLayer(), nHead = t.nHead();
        Npy att = huggingFace(fixture, "attentions.npy", nLayer, nHead, n, n);
        double worst = 0;
        for (int l = 0; l < nLayer; l++) {
            float[] ref = att.slice(l);
            for (int h = 0; h < nHead; h++) {
                worst = Math.max(worst, maxAbsDiff(t.attention()[l][h], ref, h * n * n, n, n));
            }
        }
        assertWithinBound(fixture, engine, "attention max|ours-HF|", worst);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndEngines")
    void hiddenStatesEqualHuggingFace(String fixture, Engine engine) {
        Trace t = traced(fixture, engine).trace();
        int n = t.length(), nLayer = t.nLayer(), nEmbd = t.hidden()[0][0].length;
        Npy hid = huggingFace(fixture, "hidden.npy", nLayer + 1, n, nEmbd);
        double worstRel = 0;
        for (int i = 0; i <= nLayer; i++) {
            int ours = i < nLayer ? i : nLayer + 1; // HF's last entry is after ln_f
            float[] ref = hid.slice(i);
            worstRel = Math.max(worstRel, maxAbsDiff(t.hidden()[ours], ref, 0, n, nEmbd) / maxAbs(ref));
        }
        assertWithinBound(fixture, engine, "hidden states max|ours-HF|/max|HF|", worstRel);
    }

    /**
     * Each lens cell's probabilities: the i-th largest equals HF's i-th largest, every token the trace lists
     * is among HF's top 20 with the same probability, and where HF's ranking is clear (neighbours more than
     * 2 x BOUND apart) the trace has the same token at that rank.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndEngines")
    void logitLensProbabilitiesEqualHuggingFace(String fixture, Engine engine) {
        Trace t = traced(fixture, engine).trace();
        Npy idsNpy = Npy.load(Fixtures.file(fixture, "lens-ids.npy"));
        int n = t.length(), nLayer = t.nLayer();
        int hfK = idsNpy.shape()[2];
        assertArrayEquals(new int[] {nLayer + 1, n, hfK}, idsNpy.shape());
        int[] hfIds = idsNpy.ints();
        float[] hfProbs = Npy.load(Fixtures.file(fixture, "lens-probs.npy")).floats();
        assertTrue(hfK > TOP_K, "HF's lens files hold " + hfK + " tokens per cell");
        double worstSorted = 0, worstById = 0;
        int ranksCompared = 0, ranksClear = 0;
        for (int l = 0; l <= nLayer; l++) {
            for (int p = 0; p < n; p++) {
                String at = "layer " + l + ", position " + p;
                int base = (l * n + p) * hfK;
                LensEntry e = t.lens(l, p);
                int[] ids = e.ids();
                double[] probs = e.probs();
                assertEquals(TOP_K, ids.length, at);
                for (int i = 0; i < TOP_K; i++) {
                    double d = Math.abs(probs[i] - hfProbs[base + i]);
                    worstSorted = Math.max(worstSorted, d);
                    assertTrue(d <= BOUND, at + ", rank " + i + ": p " + probs[i] + " vs HF's " + hfProbs[base + i]);
                    int j = 0;
                    while (j < hfK && hfIds[base + j] != ids[i]) {
                        j++;
                    }
                    assertTrue(j < hfK, at + ": token " + ids[i] + " (rank " + i + ") is not in HF's top " + hfK);
                    worstById = Math.max(worstById, Math.abs(probs[i] - hfProbs[base + j]));
                    double above = i == 0 ? Double.POSITIVE_INFINITY : hfProbs[base + i - 1] - hfProbs[base + i];
                    double below = hfProbs[base + i] - hfProbs[base + i + 1];
                    ranksCompared++;
                    if (above > 2 * BOUND && below > 2 * BOUND) {
                        ranksClear++;
                        assertEquals(hfIds[base + i], ids[i], at + ", rank " + i);
                    }
                }
            }
        }
        System.out.printf("inspect HF parity %-14s %-6s lens probabilities: max diff %.3g by rank, %.3g by token; "
                        + "%d of %d ranks clear in HF and equal%n", fixture, engine, worstSorted, worstById, ranksClear,
                ranksCompared);
        assertTrue(worstById <= BOUND, "lens probability by token: " + worstById);
        assertTrue(ranksClear >= ranksCompared / 2, "too few clear ranks to compare token ids: " + ranksClear);
    }

    /** The lens logits the trace ranks ({@code unembed(hidden(l), true)}) at HF's top 20 tokens of each cell. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndEngines")
    void logitLensLogitsEqualHuggingFace(String fixture, Engine engine) {
        Traced tr = traced(fixture, engine);
        Trace t = tr.trace();
        Npy idsNpy = Npy.load(Fixtures.file(fixture, "lens-ids.npy"));
        int n = t.length(), nLayer = t.nLayer(), hfK = idsNpy.shape()[2];
        int[] hfIds = idsNpy.ints();
        float[] hfLogits = Npy.load(Fixtures.file(fixture, "lens-logits.npy")).floats();
        assertEquals(hfIds.length, hfLogits.length);
        double scale = maxAbs(hfLogits);
        double worst = 0;
        for (int l = 0; l <= nLayer; l++) {
            float[][] ours = tr.model().unembed(t.hidden()[l], true);
            assertEquals(n, ours.length);
            for (int p = 0; p < n; p++) {
                int base = (l * n + p) * hfK;
                for (int j = 0; j < hfK; j++) {
                    worst = Math.max(worst, Math.abs(ours[p][hfIds[base + j]] - hfLogits[base + j]));
                }
                // the trace's top token is the argmax of these logits
                float best = Float.NEGATIVE_INFINITY;
                for (float x : ours[p]) {
                    best = Math.max(best, x);
                }
                assertEquals(best, ours[p][t.lens(l, p).top()], "layer " + l + ", position " + p);
            }
        }
        assertWithinBound(fixture, engine, "lens logits max|ours-HF|/max|HF|", worst / scale);
    }
}
