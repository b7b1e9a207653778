package dev.gpt2java.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fine-tuning runs end to end from the tiny-odd-heads fixture (an HF-made random GPT-2, 1,000 tokens,
 * tied output): SFT learns its responses, DPO moves the chosen responses above the rejected ones from
 * its starting loss log 2, both are deterministic across thread counts and resume exactly, and bad data
 * is refused naming the file, the line and the field.
 */
class FineTunerTest {

    static final Path FIXTURES = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures"));
    static final Path BASE = FIXTURES.resolve("tiny-odd-heads/model-f32.gguf");

    static final String[][] FACTS = {
            {"Q: the colour of the sky?\nA:", " blue."}, {"Q: the colour of grass?\nA:", " green."},
            {"Q: the number after one?\nA:", " two."}, {"Q: the first book?\nA:", " Genesis."},
            {"Q: the last book?\nA:", " Revelation."}, {"Q: the colour of snow?\nA:", " white."},
    };

    @TempDir
    Path dir;

    Path sftData() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String[] f : FACTS) {
            sb.append("{\"prompt\": \"").append(f[0].replace("\n", "\\n")).append("\", \"response\": \"").append(f[1])
                    .append("\"}\n");
        }
        return write("sft.jsonl", sb.toString());
    }

    Path dpoData() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < FACTS.length; i++) {
            String[] f = FACTS[i], other = FACTS[(i + 1) % FACTS.length];
            sb.append("{\"prompt\": \"").append(f[0].replace("\n", "\\n")).append("\", \"chosen\": \"").append(f[1])
                    .append("\", \"rejected\": \"").append(other[1]).append("\"}\n");
        }
        return write("dpo.jsonl", sb.toString());
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static FineTuneParams params(Path data, Path out, FineTuneParams.Method method, int steps, float lr, int threads) {
        return new FineTuneParams(BASE, data, data, out, "f32", "test", method, 0.5f, 3, steps, lr, lr / 10,
                Math.min(2, steps - 1), 0f,
                0.9f, 0.999f, 1e-8f, 1f, steps, null, steps, 7, threads, null);
    }

    static List<Float> run(FineTuneParams p, Path resume) throws IOException {
        List<Float> losses = new ArrayList<>();
        FineTuner.finetune(p, resume, prog -> losses.add(prog.loss()));
        return losses;
    }

    @Test
    void sftLearnsTheResponsesSoGreedyDecodingAnswersWithThem() throws IOException {
        Path out = dir.resolve("sft.gguf");
        FineTuner.Result r = FineTuner.finetune(params(sftData(), out, FineTuneParams.Method.SFT, 40, 3e-3f, 2), null, null);
        System.out.printf("FineTunerTest: SFT, response loss %.4f -> %.4f in %d steps%n", r.startValLoss(), r.valLoss(),
                r.steps());
        assertEquals(FACTS.length, r.examples());
        assertTrue(r.valLoss() < 0.05f * r.startValLoss(), r.toString());
        try (Gpt2Model m = Gpt2Model.load(out, ModelParams.defaults().withEngine(Engine.JAVA))) {
            Gpt2Tokenizer tok = BaseModel.read(out).vocab().tokenizer();
            for (String[] f : FACTS) {
                int[] want = tok.encode(f[1]);
                int[] got = greedy(m, tok.encode(f[0]), want.length + 1);
                int[] expected = java.util.Arrays.copyOf(want, want.length + 1);
                expected[want.length] = 999; // <|endoftext|>: the model learnt to stop
                assertArrayEquals(expected, got, f[0]);
            }
        }
    }

    static int[] greedy(Gpt2Model m, int[] prompt, int n) {
        try (Session s = m.newSession()) {
            int[] out = new int[n];
            float[] logits = s.eval(0, prompt);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < logits.length; j++) {
                    if (logits[j] > logits[best]) {
                        best = j;
                    }
                }
                out[i] = best;
                logits = s.eval(0, best);
            }
            return out;
        }
    }

    @Test
    void dpoStartsAtLog2AndRaisesTheChosenResponsesAboveTheRejected() throws IOException {
        FineTuner.Result r = FineTuner.finetune(params(dpoData(), dir.resolve("dpo.gguf"), FineTuneParams.Method.DPO, 30,
                3e-3f, 2), null, null);
        System.out.printf("FineTunerTest: DPO, loss %.6f (log 2 = %.6f) -> %.4f in %d steps%n", r.startValLoss(),
                Math.log(2), r.valLoss(), r.steps());
        assertEquals(Math.log(2), r.startValLoss(), 1e-6, "the policy is the reference at the start");
        assertTrue(r.valLoss() < 0.1f, r.toString());
    }

    @Test
    void loraTrainsOnlyTheAdaptersAndTheMergedModelIsTheBasePlusTheirProduct() throws IOException {
        Path data = sftData(), merged = dir.resolve("merged.gguf"), adapter = dir.resolve("adapter.gguf");
        var p = params(data, merged, FineTuneParams.Method.SFT, 40, 1e-2f, 2);
        FineTuner.Result r = FineTuner.finetune(p.withAdapters(new FineTuneParams.Adapters(4, 8f, true)), null, null);
        FineTuner.finetune(params(data, adapter, FineTuneParams.Method.SFT, 40, 1e-2f, 1)
                .withAdapters(new FineTuneParams.Adapters(4, 8f, false)), null, null);
        System.out.printf("FineTunerTest: LoRA rank 4, response loss %.4f -> %.4f in %d steps%n", r.startValLoss(),
                r.valLoss(), r.steps());
        assertTrue(r.valLoss() < 0.2f * r.startValLoss(), r.toString());
        BaseModel base = BaseModel.read(BASE), tuned = BaseModel.read(merged);
        Parameters layout = new Parameters(base.shape());
        double worst = 0;
        try (var g = dev.gpt2java.gguf.GgufFile.open(adapter)) {
            assertEquals("adapter", g.getString("general.type"));
            assertEquals("lora", g.getString("adapter.type"));
            assertEquals(8f, g.getFloat("adapter.lora.alpha"));
            for (Parameters.Tensor t : layout.tensors()) {
                float[] b0 = java.util.Arrays.copyOfRange(base.params(), t.offset(), t.offset() + t.size());
                float[] b1 = java.util.Arrays.copyOfRange(tuned.params(), t.offset(), t.offset() + t.size());
                var a = g.tensors().get(t.name() + ".lora_a");
                if (a == null) {
                    assertArrayEquals(b0, b1, t.name() + " is frozen");
                    continue;
                }
                // W' = W + (alpha / rank) B A, from the adapter file of the same run on another thread count
                var bInfo = g.tensors().get(t.name() + ".lora_b");
                int in = (int) a.ne(0), rank = (int) a.ne(1), out = (int) bInfo.ne(1);
                assertEquals(4, rank);
                float[] av = g.tensorData(a.name()).toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED);
                float[] bv = g.tensorData(bInfo.name()).toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED);
                double maxW = 0, maxDiff = 0, change = 0;
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double d = 0;
                        for (int k = 0; k < rank; k++) {
                            d += (double) bv[o * rank + k] * av[k * in + i];
                        }
                        double want = b0[o * in + i] + 2.0 * d;
                        maxW = Math.max(maxW, Math.abs(want));
                        maxDiff = Math.max(maxDiff, Math.abs(want - b1[o * in + i]));
                        change = Math.max(change, Math.abs(b1[o * in + i] - b0[o * in + i]));
                    }
                }
                assertTrue(change > 0, t.name() + " did not change");
                worst = Math.max(worst, maxDiff / maxW);
            }
        }
        System.out.printf("FineTunerTest: merged = base + (alpha/rank) B A within %.2e%n", worst);
        assertTrue(worst < 1e-6, "merged matrices differ from base + s B A by " + worst);
    }

    @ParameterizedTest
    @CsvSource({"SFT", "DPO"})
    void theSameRunGivesTheSameModelOnOneAndTwoThreads(FineTuneParams.Method method) throws IOException {
        Path data = method == FineTuneParams.Method.SFT ? sftData() : dpoData();
        Path a = dir.resolve("a.gguf"), b = dir.resolve("b.gguf");
        assertEquals(run(params(data, a, method, 5, 1e-3f, 1), null), run(params(data, b, method, 5, 1e-3f, 2), null));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    static final class StopHere extends RuntimeException {
    }

    @ParameterizedTest
    @CsvSource({"SFT, false", "DPO, false", "SFT, true", "DPO, true"})
    void aResumedRunEndsExactlyWhereAnUninterruptedOneDoes(FineTuneParams.Method method, boolean lora) throws IOException {
        Path data = method == FineTuneParams.Method.SFT ? sftData() : dpoData();
        Path full = dir.resolve("full.gguf"), resumed = dir.resolve("resumed.gguf"), ckpt = dir.resolve("ckpt.gguf");
        var adapters = lora ? new FineTuneParams.Adapters(2, 4f, false) : null;
        List<Float> straight = run(params(data, full, method, 7, 1e-3f, 2).withAdapters(adapters), null);
        List<Float> first = new ArrayList<>();
        try {
            FineTuner.finetune(params(data, dir.resolve("part.gguf"), method, 7, 1e-3f, 2).withCheckpoint(ckpt, 4)
                            .withAdapters(adapters), null,
                    prog -> {
                        first.add(prog.loss());
                        if (prog.step() == 4) {
                            throw new StopHere();
                        }
                    });
        } catch (StopHere expected) {
            // the checkpoint of step 4 is on disk
        }
        List<Float> joined = new ArrayList<>(first);
        joined.addAll(run(params(data, resumed, method, 7, 1e-3f, 2).withCheckpoint(ckpt, 4).withAdapters(adapters),
                ckpt));
        assertEquals(straight, joined);
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(resumed));
        // the same checkpoint does not resume a run on other data
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(params(write("other.jsonl", Files.readString(data).replace("blue", "red")), resumed, method, 7,
                        1e-3f, 2).withAdapters(adapters), ckpt));
        assertTrue(e.getMessage().contains("another run"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SFT | {\"prompt\": \"a\", \"response\": \"b\"}\\n{\"prompt\": \"a\"}\\n | line 2: no \"response\"",
            "SFT | {\"prompt\": \"a\", \"response\": 3}\\n | line 1: \"response\" is not a string",
            "SFT | \\n{\"response\": \"b\"}\\n | line 2: no \"prompt\"",
            "SFT | {\"prompt\": \"a\", \"response\": \"b\"\\n | line 1: not JSON",
            "SFT | [1, 2]\\n | line 1: expected a JSON object",
            "SFT | {\"prompt\": \"\", \"response\": \"b\"}\\n | line 1: \"prompt\" is empty",
            "SFT | \\n\\n | no examples (the file is empty)",
            "DPO | {\"prompt\": \"a\", \"chosen\": \"b\"}\\n | line 1: no \"rejected\"",
            "DPO | {\"prompt\": \"a\", \"response\": \"b\"}\\n | line 1: no \"chosen\"",
    })
    void badDataIsRefusedNamingTheLineAndTheField(FineTuneParams.Method method, String text, String message)
            throws IOException {
        Path data = write("bad.jsonl", text.replace("\\n", "\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTuner.plan(params(data, dir.resolve("x.gguf"), method, 1, 1e-3f, 1)));
        assertTrue(e.getMessage().startsWith(data.toString()) && e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedNamingTheLine() throws IOException {
        Path data = write("long.jsonl", "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \""
                + "the sky ".repeat(200) + "\", \"response\": \"b\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTuner.plan(params(data, dir.resolve("x.gguf"), FineTuneParams.Method.SFT, 1, 1e-3f, 1)));
        assertTrue(e.getMessage().contains("line 2: \"prompt\" (") && e.getMessage().contains("context has 128"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "small-untied/model-f32.gguf | has its own output.weight",
            "tiny-odd-heads/model-q8_0.gguf | is Q8_0; fine-tuning starts from F32 or F16 weights"})
    void aBaseTheTrainerCannotStartFromIsRefusedSayingWhy(String model, String message) throws IOException {
        var p = params(sftData(), dir.resolve("x.gguf"), FineTuneParams.Method.SFT, 1, 1e-3f, 1);
        var q = new FineTuneParams(FIXTURES.resolve(model), p.data(), null, p.output(), "f32", "x", p.method(), 0.1f, 1, 1,
                1e-3f, 0f, 0, 0f, 0.9f, 0.999f, 1e-8f, 1f, 1, null, 1, 1, 1, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FineTuner.plan(q));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void thePlanCountsTheExamplesThePaddedLengthAndTheScoredTokens() throws IOException {
        Path data = sftData();
        FineTuner.Plan plan = FineTuner.plan(params(data, dir.resolve("x.gguf"), FineTuneParams.Method.SFT, 1, 1e-3f, 1));
        Gpt2Tokenizer tok = BaseModel.read(BASE).vocab().tokenizer();
        int longest = 0;
        long scored = 0;
        for (String[] f : FACTS) {
            int p = tok.encode(f[0]).length, r = tok.encode(f[1]).length;
            longest = Math.max(longest, p + r);          // inputs: prompt ++ response (the eos is only a target)
            scored += r + 1;                             // the response and the closing <|endoftext|>
        }
        assertEquals(FACTS.length, plan.examples());
        assertEquals(FACTS.length, plan.valExamples());
        assertEquals(longest, plan.seqLen());
        assertEquals(scored, plan.scoredTokens());
    }
}
