package dev.gpt2java.jvm;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelInfo;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.Status;
import dev.gpt2java.TensorType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.testsupport.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The two engines behind the public API ({@link ModelParams#engine()} NATIVE and JAVA) agree on the
 * F32 fixtures: logits at all positions (and with Hugging Face's), captures, greedy continuations,
 * beam search, and the sequence operations.
 */
class BackendParityTest {

    static final double BOUND = 1e-4;

    static Path file(String model, String name) {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize();
        Path f = d.resolve(model).resolve(name);
        assertTrue(Files.isRegularFile(f), "fixture " + f + " is missing");
        return f;
    }

    static Gpt2Model load(String model, Engine engine) {
        return Gpt2Model.load(file(model, "model-f32.gguf"),
                ModelParams.defaults().withBackend(Backend.CPU).withThreads(2).withEngine(engine));
    }

    static double relErr(float[] a, float[] ref) {
        return TestSupport.relErr(a, ref);
    }

    static float[] flat(float[][] rows) {
        return TestSupport.concat(rows);
    }

    static float[] flat(float[][][] a) {
        return flat(Arrays.stream(a).map(BackendParityTest::flat).toArray(float[][]::new));
    }

    record Run(float[] logits, float[][] attention, float[][] hidden) {
    }

    /** All positions of the prompt in one batch, logits everywhere, captures on. */
    static Run run(Gpt2Model m, int[] prompt) {
        SessionParams sp = SessionParams.defaults().withNCells(128).withNBatch(prompt.length)
                .withCaptureAttention(true).withCaptureHidden(true);
        try (Session s = m.newSession(sp)) {
            Batch.Builder bb = Batch.builder();
            for (int i = 0; i < prompt.length; i++) {
                bb.add(prompt[i], 0, true);
            }
            int n = s.eval(bb.build());
            assertEquals(prompt.length, n);
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                assertEquals(i, s.outputTokenIndex(i));
                rows[i] = s.logits(i);
            }
            assertArrayEquals(flat(rows), s.logitsView().toArray());
            float[][] att = new float[m.nLayer()][];
            for (int il = 0; il < m.nLayer(); il++) {
                att[il] = flat(s.attention(il));
            }
            float[][] hid = new float[m.nLayer() + 2][];
            for (int ih = 0; ih < m.nLayer() + 2; ih++) {
                hid[ih] = flat(s.hidden(ih));
            }
            assertEquals(prompt.length, s.kvUsedCells());
            return new Run(flat(rows), att, hid);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-odd-heads", "small-untied"})
    void bothEnginesDescribeTheModelAlike(String model) {
        for (String type : new String[] {"f32", "f16", "q8_0", "q4_0"}) {
            Path f = file(model, "model-" + type + ".gguf");
            try (Gpt2Model n = Gpt2Model.load(f); Gpt2Model j = Gpt2Model.load(f, ModelParams.defaults().withEngine(Engine.JAVA))) {
                ModelInfo ni = n.info(), ji = j.info();
                assertEquals(ni.shape(), ji.shape(), type);
                assertEquals(ni.name(), ji.name(), type);
                assertEquals(ni.weightType(), ji.weightType(), type);
                assertEquals(ni.outputTied(), ji.outputTied(), type);
                assertEquals(ni.nParams(), ji.nParams(), type);
                assertEquals(ni.sizeBytes(), ji.sizeBytes(), type);
                assertEquals(ni.bosToken(), ji.bosToken(), type);
                assertEquals(ni.eosToken(), ji.eosToken(), type);
                assertEquals("Java", ji.backendName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-odd-heads", "small-untied"})
    void logitsAndCapturesAgree(String model) {
        int[] prompt = Npy.load(file(model, "prompt.npy")).ints();
        float[] hf = Npy.load(file(model, "logits.npy")).floats();
        Run nat, jav;
        try (Gpt2Model n = load(model, Engine.NATIVE); Gpt2Model j = load(model, Engine.JAVA)) {
            assertEquals(n.nVocab(), j.nVocab());
            assertEquals(n.nParams(), j.nParams());
            assertEquals(n.weightType(), j.weightType());
            assertEquals(n.outputTied(), j.outputTied());
            assertEquals(n.bosToken(), j.bosToken());
            assertEquals(n.eosToken(), j.eosToken());
            assertEquals(n.merges(), j.merges());
            assertEquals(n.name(), j.name());
            for (int id = 0; id < n.nVocab(); id++) {
                assertEquals(n.tokenText(id), j.tokenText(id));
                assertArrayEquals(n.tokenBytes(id), j.tokenBytes(id), "token " + id);
                assertEquals(n.tokenType(id), j.tokenType(id));
            }
            assertTrue(relErr(flat(j.tokenEmbeddings(3, 5)), flat(n.tokenEmbeddings(3, 5))) < 1e-6);
            float[][] h = n.tokenEmbeddings(0, 2);
            assertTrue(relErr(flat(j.unembed(h, true)), flat(n.unembed(h, true))) < BOUND);
            assertTrue(relErr(flat(j.unembed(h, false)), flat(n.unembed(h, false))) < BOUND);
            nat = run(n, prompt);
            jav = run(j, prompt);
        }
        double eLogits = relErr(jav.logits(), nat.logits());
        double eHf = relErr(jav.logits(), hf);
        double eHfNative = relErr(nat.logits(), hf);
        double eAtt = 0, eHid = 0;
        for (int il = 0; il < nat.attention().length; il++) {
            eAtt = Math.max(eAtt, relErr(jav.attention()[il], nat.attention()[il]));
        }
        for (int ih = 0; ih < nat.hidden().length; ih++) {
            eHid = Math.max(eHid, relErr(jav.hidden()[ih], nat.hidden()[ih]));
        }
        System.out.printf("BackendParity %s: %d positions, java vs native logits %.3g, java vs HF %.3g, native vs HF"
                + " %.3g, attentions %.3g, hidden %.3g%n", model, prompt.length, eLogits, eHf, eHfNative, eAtt, eHid);
        assertTrue(eLogits < BOUND, "java vs native logits " + eLogits);
        assertTrue(eHf < BOUND, "java vs HF logits " + eHf);
        assertTrue(eAtt < BOUND, "attentions " + eAtt);
        assertTrue(eHid < BOUND, "hidden " + eHid);
    }

    static int[] greedy(Gpt2Model m, int[] prompt, int n) {
        try (Session s = m.newSession(SessionParams.defaults().withNCells(128))) {
            int[] out = new int[n];
            float[] logits = s.eval(0, prompt);
            for (int i = 0; i < n; i++) {
                int best = Gpt2.argmax(logits);
                out[i] = best;
                if (i + 1 < n) {
                    logits = s.eval(0, best);
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-odd-heads", "small-untied"})
    void greedyAndBeamSearchAgree(String model) {
        int[] prompt = Arrays.copyOf(Npy.load(file(model, "prompt.npy")).ints(), 8);
        try (Gpt2Model n = load(model, Engine.NATIVE); Gpt2Model j = load(model, Engine.JAVA)) {
            int[] gn = greedy(n, prompt, 16);
            int[] gj = greedy(j, prompt, 16);
            assertArrayEquals(gn, gj);
            BeamSearchParams bp = BeamSearchParams.of(3, n.eosToken()).withMaxNewTokens(12).withNumReturnSequences(3);
            List<Hypothesis> hn = BeamSearch.search(n, prompt, bp);
            List<Hypothesis> hj = BeamSearch.search(j, prompt, bp);
            assertEquals(hn.size(), hj.size());
            double maxDiff = 0;
            for (int i = 0; i < hn.size(); i++) {
                assertArrayEquals(hn.get(i).tokens(), hj.get(i).tokens(), "hypothesis " + i);
                maxDiff = Math.max(maxDiff, Math.abs(hn.get(i).score() - hj.get(i).score()));
            }
            System.out.printf("BackendParity %s: greedy %s, %d beams, max score diff %.3g%n", model,
                    Arrays.toString(gj), hn.size(), maxDiff);
            assertTrue(maxDiff < 1e-4, "score diff " + maxDiff);
        }
    }

    /** Sequence operations in the same order on both engines: lengths, used cells and logits agree. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-odd-heads", "small-untied"})
    void sequenceOperationsAgree(String model) {
        int[] prompt = Npy.load(file(model, "prompt.npy")).ints();
        try (Gpt2Model n = load(model, Engine.NATIVE); Gpt2Model j = load(model, Engine.JAVA);
             Session sn = n.newSession(SessionParams.defaults().withNCells(64).withNSeqMax(3).withNBatch(16));
             Session sj = j.newSession(SessionParams.defaults().withNCells(64).withNSeqMax(3).withNBatch(16))) {
            for (Session s : List.of(sn, sj)) {
                assertEquals(64, s.params().nCells());
                assertEquals(16, s.params().nBatch());
            }
            int[] p8 = Arrays.copyOf(prompt, 8);
            compare(sn.eval(0, p8), sj.eval(0, p8));
            for (Session s : List.of(sn, sj)) {
                s.seqCopy(0, 1);
                s.seqCopy(0, 2);
            }
            assertEquals(sn.kvUsedCells(), sj.kvUsedCells());
            assertEquals(8, sj.kvUsedCells());
            // a batch of three sequences, each a different next token
            Batch b = Batch.builder().add(prompt[8], 0, true).add(prompt[9], 1, true).add(prompt[10], 2, false)
                    .add(prompt[11], 2, true).build();
            assertEquals(sn.eval(b), sj.eval(b));
            for (int r = 0; r < sn.nOutputs(); r++) {
                assertEquals(sn.outputTokenIndex(r), sj.outputTokenIndex(r));
                compare(sn.logits(r), sj.logits(r));
            }
            assertEquals(sn.kvUsedCells(), sj.kvUsedCells());
            for (Session s : List.of(sn, sj)) {
                s.seqTruncate(2, 5);
                s.seqCopy(1, 0);
            }
            for (int q = 0; q < 3; q++) {
                assertEquals(sn.seqLength(q), sj.seqLength(q));
            }
            assertEquals(sn.kvUsedCells(), sj.kvUsedCells());
            compare(sn.eval(2, prompt[20]), sj.eval(2, prompt[20]));
            compare(sn.eval(0, prompt[21]), sj.eval(0, prompt[21]));
            assertThrows(IllegalArgumentException.class, () -> sj.seqTruncate(2, 99));
            for (Session s : List.of(sn, sj)) {
                s.seqClear(1);
            }
            assertEquals(sn.kvUsedCells(), sj.kvUsedCells());
            for (Session s : List.of(sn, sj)) {
                s.clearAll();
                assertEquals(0, s.kvUsedCells());
            }
            // the cell pool fills the same way
            for (Session s : List.of(sn, sj)) {
                for (int k = 0; k < 4; k++) {
                    s.eval(0, Arrays.copyOfRange(prompt, 16 * k, 16 * k + 16));
                }
                Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> s.eval(1, prompt[0]));
                assertEquals(Status.KV_FULL, e.status());
            }
        }
    }

    static void compare(float[] nat, float[] jav) {
        double e = relErr(jav, nat);
        assertTrue(e < BOUND, "java vs native " + e);
    }

    @Test
    void whatTheJavaEngineCannotDoThrows() {
        Path f = file("tiny-odd-heads", "model-f32.gguf");
        ModelParams java = ModelParams.defaults().withEngine(Engine.JAVA);
        assertThrows(UnsupportedOperationException.class, () -> Gpt2Model.load(f, java.withBackend(Backend.CUDA)));
        assertThrows(UnsupportedOperationException.class, () -> Gpt2Model.load(f, java.withGelu(Gelu.FAST)));
        try (Gpt2Model m = Gpt2Model.load(f, java)) {
            assertEquals("Java", m.backendName());
            assertThrows(UnsupportedOperationException.class,
                    () -> m.newSession(SessionParams.defaults().withKvType(TensorType.F16)));
            Session s = m.newSession();
            int nVocab = m.nVocab();
            m.close();
            // sessions outlive their model, as on the native engine
            assertEquals(nVocab, s.eval(0, 1, 2).length);
            s.close();
            assertThrows(IllegalStateException.class, () -> s.eval(0, 1));
        }
        assertEquals(Engine.JAVA, Engine.parse("java"));
        assertEquals(Engine.NATIVE, Engine.parse("Native"));
        assertThrows(IllegalArgumentException.class, () -> Engine.parse("gpu"));
    }
}
