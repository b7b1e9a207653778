package dev.gpt2java.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.LoraAdapter;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.Status;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.GgufWriter;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A LoRA adapter that {@code gpt2 finetune --lora-rank} wrote, applied at run time by either engine
 * ({@link Gpt2Model#loadAdapter}, {@link Session#setAdapter}), gives the logits of the model the same run
 * merged ({@code --merge}, F32), within {@value #BOUND} of the largest logit; scale 0 and clearing give the
 * base model bit for bit; a model loaded with the adapter in its parameters applies it to every session;
 * and bad files and misuse are refused with messages naming them.
 */
class AdapterAtRunTimeTest {

    /** |run time - merged| <= BOUND * max |logit|: x@W + s(x@A)@B against x@(W + sBA), both in F32. */
    static final double BOUND = 1e-5;

    static final int[] PROMPT = {5, 17, 250, 3, 99, 42, 7, 7, 120, 64, 1, 0, 288, 31, 150, 9};

    @TempDir
    static Path dir;
    static Path adapter, merged;

    @BeforeAll
    static void trainOnceMergedAndNot() throws IOException {
        FineTunerTest t = new FineTunerTest();
        t.dir = dir;
        Path data = t.sftData();
        adapter = dir.resolve("adapter.gguf");
        merged = dir.resolve("merged.gguf");
        // a strong learning rate, so that the adapters move the logits far more than the bound
        FineTuner.finetune(FineTunerTest.params(data, adapter, FineTuneParams.Method.SFT, 12, 2e-2f, 2)
                .withAdapters(new FineTuneParams.Adapters(4, 8f, false)), null, null);
        FineTuner.finetune(FineTunerTest.params(data, merged, FineTuneParams.Method.SFT, 12, 2e-2f, 2)
                .withAdapters(new FineTuneParams.Adapters(4, 8f, true)), null, null);
    }

    static ModelParams on(Engine engine) {
        return ModelParams.defaults().withEngine(engine).withThreads(1);
    }

    /** The logits at every position of the prompt, flattened. */
    static float[] logits(Session s) {
        s.clearAll();
        int n = s.eval(dev.gpt2java.Batch.builder().addAllLogits(0, PROMPT).build());
        float[] out = new float[n * s.nVocab()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.logits(i), 0, out, i * s.nVocab(), s.nVocab());
        }
        return out;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAdapterAtRunTimeGivesTheMergedModelsLogits(Engine engine) {
        float[] want;
        try (Gpt2Model m = Gpt2Model.load(merged, on(engine)); Session s = m.newSession()) {
            want = logits(s);
        }
        try (Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(engine));
             LoraAdapter a = base.loadAdapter(adapter);
             Session s = base.newSession()) {
            assertEquals(4, a.info().rank());
            assertEquals(8f, a.info().alpha());
            assertEquals(2 * 4, a.info().nMatrices(), "2 blocks x 4 matrices");
            float[] plain = logits(s);
            s.setAdapter(a, 1f);
            assertEquals(Map.of(a, 1f), s.adapters());
            float[] got = logits(s);
            double top = maxAbs(want), d = maxDiff(got, want), moved = maxDiff(got, plain);
            System.out.printf("AdapterAtRunTimeTest %s: run time vs merged %.3g, vs base %.3g (max |logit| %.3g)%n", engine,
                    d, moved, top);
            assertTrue(d <= BOUND * top, engine + ": run time vs merged " + d + " > " + BOUND * top);
            assertTrue(moved > 1000 * BOUND * top, engine + ": the adapter moved the logits by " + moved + " only");

            s.setAdapter(a, 0f);
            assertArrayEquals(plain, logits(s), "scale 0 is the base model");
            s.clearAdapters();
            assertArrayEquals(plain, logits(s), "no adapter is the base model");
            assertEquals(Map.of(), s.adapters());
        }
    }

    @Test
    void bothEnginesApplyTheAdapterAlike() {
        float[][] got = new float[2][];
        for (Engine e : Engine.values()) {
            try (Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(e).withAdapter(adapter, 0.5f));
                 Session s = base.newSession()) {
                got[e.ordinal()] = logits(s);
            }
        }
        double d = maxDiff(got[0], got[1]), top = maxAbs(got[0]);
        System.out.printf("AdapterAtRunTimeTest: native vs Java at scale 0.5 %.3g (max |logit| %.3g)%n", d, top);
        assertTrue(d <= 1e-4 * top, "native vs Java " + d);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aModelLoadedWithAnAdapterAppliesItToEverySessionWhichMayChangeIt(Engine engine) {
        float[] explicit;
        try (Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(engine)); LoraAdapter a = base.loadAdapter(adapter);
             Session s = base.newSession()) {
            s.setAdapter(a, 0.5f);
            explicit = logits(s);
        }
        Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(engine).withAdapter(adapter, 0.5f));
        Session s1 = base.newSession(), s2 = base.newSession();
        LoraAdapter a = base.defaultAdapters().keySet().iterator().next();
        assertEquals(Map.of(a, 0.5f), s1.adapters());
        assertArrayEquals(explicit, logits(s1), "the same computation as setAdapter(a, 0.5)");
        s2.clearAdapters();
        float[] plain = logits(s2);
        // closing the model (and with it its adapters) leaves the sessions working as they were
        base.close();
        assertTrue(a.isClosed());
        assertArrayEquals(explicit, logits(s1));
        assertArrayEquals(plain, logits(s2));
        assertThrows(IllegalStateException.class, () -> s2.setAdapter(a, 1f), "a closed adapter");
        s1.close();
        s2.close();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void misuseIsRefusedAndChangesNothing(Engine engine) {
        try (Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(engine));
             Gpt2Model other = Gpt2Model.load(FineTunerTest.BASE, on(engine));
             LoraAdapter a = base.loadAdapter(adapter);
             LoraAdapter foreign = other.loadAdapter(adapter);
             Session s = base.newSession()) {
            s.setAdapter(a, 1f);
            float[] before = logits(s);
            var e = assertThrows(IllegalArgumentException.class, () -> s.setAdapter(foreign, 1f));
            assertTrue(e.getMessage().contains("another model"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.setAdapter(a, Float.NaN));
            assertTrue(e.getMessage().contains("finite"), e.getMessage());
            Map<LoraAdapter, Float> many = new HashMap<>();
            for (int i = 0; i <= Session.MAX_ADAPTERS; i++) {
                many.put(base.loadAdapter(adapter), 1f);
            }
            e = assertThrows(IllegalArgumentException.class, () -> s.setAdapters(many));
            assertTrue(e.getMessage().contains("at most 16"), e.getMessage());
            many.keySet().forEach(LoraAdapter::close);
            assertThrows(NullPointerException.class, () -> s.setAdapter(null, 1f));
            assertEquals(Map.of(a, 1f), s.adapters());
            assertArrayEquals(before, logits(s), "the refusals changed nothing");
            // two adapters add, in order: a at 1 and a second copy at 1 are a at 2
            LoraAdapter copy = base.loadAdapter(adapter);
            Map<LoraAdapter, Float> both = new LinkedHashMap<>();
            both.put(a, 1f);
            both.put(copy, 1f);
            s.setAdapters(both);
            float[] twice = logits(s);
            s.setAdapter(a, 2f);
            double d = maxDiff(twice, logits(s));
            assertTrue(d <= BOUND * maxAbs(twice), "a + a vs 2a: " + d);
            copy.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFileThatIsNotAnAdapterForTheModelIsAnErrorNamingItAndTheFault(Engine engine) throws IOException {
        Path wide = FineTunerTest.FIXTURES.resolve("small-untied/model-f32.gguf");   // n_embd 64, not 96
        Path otherShape = dir.resolve(engine + "-other-shape.gguf");
        try (Gpt2Model m = Gpt2Model.load(wide, on(engine))) {
            assertEquals(64, m.nEmbd());
        }
        // an adapter in the right layout but for a 64-wide model, and one whose pair is incomplete
        Path incomplete = dir.resolve(engine + "-incomplete.gguf");
        writeAdapter(otherShape, 64, 2, true);
        writeAdapter(incomplete, 96, 2, false);
        Path missing = dir.resolve("no-such-adapter.gguf");
        Path truncated = dir.resolve(engine + "-truncated.gguf");
        byte[] bytes = Files.readAllBytes(adapter);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Object[][] cases = {
                {FineTunerTest.BASE, Status.FORMAT, "general.type"},   // a model, not an adapter
                {otherShape, Status.FORMAT, "has shape"},
                {incomplete, Status.FORMAT, "is missing"},
                {truncated, Status.FORMAT, "truncated"},
                {missing, Status.IO, "no-such-adapter.gguf"},
        };
        try (Gpt2Model base = Gpt2Model.load(FineTunerTest.BASE, on(engine))) {
            for (Object[] c : cases) {
                Path p = (Path) c[0];
                Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> base.loadAdapter(p), p.toString());
                assertSame(c[1], e.status(), p + ": " + e.getMessage());
                assertTrue(e.getMessage().contains((String) c[2]) && e.getMessage().contains(p.getFileName().toString()),
                        p + ": " + e.getMessage());
            }
            var e = assertThrows(Gpt2Exception.class,
                    () -> Gpt2Model.load(FineTunerTest.BASE, on(engine).withAdapter(otherShape, 1f)));
            assertTrue(e.getMessage().contains("has shape"), e.getMessage());
        }
    }

    /** A rank-r adapter of block 0's attn_output for a model n_embd wide; without B when not complete. */
    static void writeAdapter(Path path, int nEmbd, int rank, boolean complete) throws IOException {
        GgufWriter w = new GgufWriter().putString("general.architecture", "gpt2").putString("general.type", "adapter")
                .putString("adapter.type", "lora").putF32("adapter.lora.alpha", 2f * rank);
        w.addF32("blk.0.attn_output.weight.lora_a", new long[] {nEmbd, rank}, new float[nEmbd * rank]);
        if (complete) {
            w.addF32("blk.0.attn_output.weight.lora_b", new long[] {rank, nEmbd}, new float[rank * nEmbd]);
        }
        w.write(path);
    }

    @Test
    void theAdapterFileIsLlamaCppsLayout() {
        try (GgufFile g = GgufFile.open(adapter)) {
            assertEquals("adapter", g.getString("general.type"));
            assertEquals("lora", g.getString("adapter.type"));
            assertEquals("gpt2", g.getString("general.architecture"));
            var a = g.tensors().get("blk.0.attn_qkv.weight.lora_a");
            var b = g.tensors().get("blk.0.attn_qkv.weight.lora_b");
            assertArrayEquals(new long[] {96, 4}, a.shape());
            assertArrayEquals(new long[] {4, 3 * 96}, b.shape());
            assertTrue(g.tensorData(b.name()).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED).length == 4 * 3 * 96);
        }
    }
}
