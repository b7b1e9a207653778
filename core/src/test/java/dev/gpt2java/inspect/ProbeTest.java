package dev.gpt2java.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HiddenStates} and {@link Probe} on tiny-odd-heads: the states are the trace's, a label that is a
 * linear function of one layer's state is found there (and not by the shuffled control), the folds, and
 * bad input named.
 */
class ProbeTest {

    static final String[] WORDS = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "cat",
            "runs", "far", "away", "from", "home", "to", "sea"};
    static Gpt2Model model;
    static List<String> texts;
    /** [layer 0..2][text][96] at the last token. */
    static float[][][] states;

    @BeforeAll
    static void load() {
        // one thread: ggml's spinning workers slow down on a shared machine, and the texts are short
        model = Gpt2Model.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"), dev.gpt2java.ModelParams.defaults()
                .withGelu(dev.gpt2java.Gelu.EXACT).withBackend(dev.gpt2java.Backend.CPU).withThreads(1));
        Random r = new Random(16);
        texts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 0, n = 2 + r.nextInt(8); w < n; w++) {
                b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            texts.add(b.toString());
        }
        states = HiddenStates.extract(model, texts, new int[] {0, 1, 2}, -1, false, null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theStatesAreTheTracesHiddenStatesAtThePosition() {
        List<String> two = texts.subList(0, 2);
        float[][][] s = HiddenStates.extract(model, two, new int[] {0, 2, 1}, -1, false, null);
        float[][][] first = HiddenStates.extract(model, two, new int[] {2}, 0, true, null);
        for (int i = 0; i < two.size(); i++) {
            int[] ids = model.tokenizer().encode(two.get(i));
            Trace t = Inspector.trace(model, ids, 1);
            assertArrayEquals(t.hidden()[0][ids.length - 1], s[0][i], 1e-5f);
            assertArrayEquals(t.hidden()[2][ids.length - 1], s[1][i], 1e-5f);
            assertArrayEquals(t.hidden()[1][ids.length - 1], s[2][i], 1e-5f);
            int[] bos = new int[ids.length + 1];
            bos[0] = model.bosToken();
            System.arraycopy(ids, 0, bos, 1, ids.length);
            assertArrayEquals(Inspector.trace(model, bos, 1).hidden()[2][0], first[0][i], 1e-5f);
        }
    }

    /** Labels w · h + noise of layer {@code layer}'s state at the last token. */
    static List<LabelledText> linearIn(int layer, double noise, boolean classes) {
        float[][] h = states[layer];
        Random r = new Random(7);
        double[] w = new double[h[0].length];
        for (int j = 0; j < w.length; j++) {
            w[j] = r.nextGaussian();
        }
        double[] y = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < w.length; j++) {
                y[i] += w[j] * h[i][j];
            }
        }
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        List<LabelledText> rows = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            double v = y[i] + noise * r.nextGaussian();
            rows.add(new LabelledText(texts.get(i), classes ? (v > mean ? "high" : "low") : String.format(Locale.ROOT, "%.6f", v)));
        }
        return rows;
    }

    @Test
    void aRidgeProbeRecoversALinearReadOutOfTheResidualStreamAndTheControlDoesNot() {
        ProbeReport r = Probe.run(model, linearIn(2, 0, false), ProbeParams.defaults(), null);
        assertEquals(Probe.Kind.RIDGE, r.kind());
        assertEquals(List.of(0, 1, 2), r.layers().stream().map(ProbeReport.Layer::layer).toList());
        ProbeReport.Layer last = r.layers().get(2);
        assertTrue(last.score() > 0.99, "R² " + last.score());
        assertEquals(0.01, last.lambda(), "the smallest penalty fits an exact linear map best");
        for (ProbeReport.Layer l : r.layers()) {
            assertTrue(l.control() < 0.2, "control R² " + l.control() + " at layer " + l.layer());
            assertEquals(5, l.foldScores().length);
        }
    }

    @Test
    void aLogisticProbeRecoversAClassAndBeatsChanceWhereTheControlDoesNot() {
        List<String> labels = linearIn(1, 0, true).stream().map(LabelledText::label).toList();
        ProbeReport r = Probe.fit(new float[][][] {states[1]}, labels, ProbeParams.defaults().withLayers(1).withLambdas(0.1, 1, 10));
        assertEquals(Probe.Kind.LOGISTIC, r.kind());
        assertEquals(List.of("high", "low"), r.classes());
        ProbeReport.Layer l = r.layers().get(0);
        // 150 rows in 96 dimensions, split at the median: the rows near the boundary are hard to place
        assertTrue(l.score() > 0.75, "accuracy " + l.score());
        assertTrue(l.control() < r.baseline() + 0.15, "control " + l.control() + ", chance " + r.baseline());
    }

    @Test
    void theSameSeedGivesTheSameReportAndAnotherSeedOtherFolds() {
        List<String> rows = linearIn(1, 5, false).stream().map(LabelledText::label).toList();
        ProbeParams p = ProbeParams.defaults().withLayers(1).withLambdas(1, 100);
        float[][][] x = {states[1]};
        ProbeReport a = Probe.fit(x, rows, p), b = Probe.fit(x, rows, p);
        assertArrayEquals(a.layers().get(0).foldScores(), b.layers().get(0).foldScores());
        assertEquals(a.layers().get(0).control(), b.layers().get(0).control());
        ProbeReport c = Probe.fit(x, rows, p.withSeed(2));
        assertNotEquals(a.layers().get(0).score(), c.layers().get(0).score());
    }

    @Test
    void foldsCoverEveryRowOnceAndStratifyClasses() {
        int[] cls = new int[100];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = i < 30 ? 1 : 0;
        }
        int[] f = CrossValidation.folds(100, 5, 3, cls);
        for (int k = 0; k < 5; k++) {
            int[] in = CrossValidation.rows(f, k, true);
            assertEquals(20, in.length);
            assertEquals(6, java.util.Arrays.stream(in).filter(i -> cls[i] == 1).count(), "fold " + k);
        }
        assertArrayEquals(f, CrossValidation.folds(100, 5, 3, cls));
    }

    @Test
    void badLabelsLayersAndPositionsAreRefusedNamingTheField() {
        List<LabelledText> rows = new ArrayList<>(linearIn(1, 0, false).subList(0, 10));
        rows.set(3, new LabelledText("x", "Genesis"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Probe.run(model, rows, ProbeParams.defaults().withKind(Probe.Kind.RIDGE), null));
        assertEquals("label of row 4 is not a number: \"Genesis\" (a ridge probe needs numeric labels)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Probe.run(model, rows, ProbeParams.defaults().withLayers(3), null));
        assertEquals("layers must be in 0..2 (0: the embeddings), was 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Probe.run(model, rows, ProbeParams.defaults().withPosition(40), null));
        assertTrue(e.getMessage().startsWith("position 40 is not in the "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Probe.run(model, rows.subList(0, 4), ProbeParams.defaults(), null));
        assertEquals("folds must be at most the number of rows (4), was 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Probe.run(model, rows.subList(0, 4), ProbeParams.defaults().withFolds(2), null));
        assertEquals("innerFolds must be at most the rows of the smallest training part (2 of 4 rows in 2 folds), was 3",
                e.getMessage());
        List<LabelledText> one = List.of(new LabelledText("a", "x"), new LabelledText("b", "x"));
        e = assertThrows(IllegalArgumentException.class,
                () -> Probe.run(model, one, ProbeParams.defaults().withFolds(2).withLambdas(1), null));
        assertTrue(e.getMessage().startsWith("label: a logistic probe needs at least 2 classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProbeParams.defaults().withLambdas(10, 1));
        assertThrows(IllegalArgumentException.class, () -> ProbeParams.defaults().withFolds(1));
    }
}
