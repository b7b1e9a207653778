package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.gguf.GgufFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gpt2 finetune}: SFT, DPO and LoRA (adapters, merged) end to end from the tiny fixture model, from Hugging
 * Face models converted by {@code gpt2 convert} and from the default model; the log and the summary; bad data
 * and models it cannot start from in one line.
 */
class FinetuneCommandTest {

    static final String QA = "{\"prompt\": \"Q: sky?\\nA:\", \"response\": \" blue.\"}\n"
            + "{\"prompt\": \"Q: grass?\\nA:\", \"response\": \" green.\"}\n";
    static final String PREF = "{\"prompt\": \"Q: sky?\\nA:\", \"chosen\": \" blue.\", \"rejected\": \" red.\"}\n";

    /** The options of a LoRA run of the converted and the default models, adapters alone or merged. */
    static final String[] LORA = {"--steps", "2", "--lora-rank", "2", "--lr", "1e-2", "-t", "1"};
    static final String[] LORA_MERGED = {"--steps", "2", "--lora-rank", "2", "--merge", "--lr", "1e-2", "-t", "1"};

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The arguments of {@code gpt2 finetune DATA -m MODEL -o OUT OPTIONS...}. */
    static String[] finetune(Path data, Path model, Path out, String... options) {
        return Stream.concat(Stream.of("finetune", data.toString(), "-m", model.toString(), "-o", out.toString()),
                Arrays.stream(options)).toArray(String[]::new);
    }

    @Test
    void sftWritesTheModelTheLogAndASummaryThenTheModelGenerates() throws IOException {
        Path data = write("qa.jsonl", QA);
        Path out = dir.resolve("tuned.gguf"), log = dir.resolve("log.tsv");
        Cli.Result r = Cli.ok(finetune(data, Cli.tinyModel(), out, "--val", data.toString(), "--steps", "4", "--batch", "2",
                "--lr", "1e-3", "-t", "1", "--log", log.toString()));
        assertTrue(r.out().contains("wrote " + out), r.out());
        assertTrue(r.out().contains("2 examples (2 held out), sequences padded to"), r.out());
        assertTrue(r.out().matches("(?s).*4 steps in .* validation loss \\d+\\.\\d+ \\(\\d+\\.\\d+ at the start\\).*"), r.out());
        assertTrue(r.err().contains("4/4 loss"), r.err());
        TrainCommandTest.assertLogged(log, 4);
        Cli.ok("generate", "-m", out.toString(), "-n", "3", "Q: sky?\nA:");
    }

    @Test
    void dpoDryRunCountsThePairsAndARunWritesTheModel() throws IOException {
        Path data = write("pref.jsonl", PREF);
        Cli.Result dry = Cli.ok(finetune(data, Cli.tinyModel(), dir.resolve("x.gguf"), "--method", "dpo", "--steps", "2",
                "--dry-run"));
        assertTrue(dry.out().contains("1 preference pairs (0 held out)"), dry.out());
        assertTrue(Files.notExists(dir.resolve("x.gguf")), "a dry run wrote a model");
        Path out = dir.resolve("dpo.gguf");
        Cli.Result r = Cli.ok(finetune(data, Cli.tinyModel(), out, "--method", "dpo", "--beta", "0.5", "--steps", "2",
                "-t", "1"));
        assertTrue(Files.isRegularFile(out));
        assertTrue(r.out().contains("2 steps in"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"prompt\": \"a\", \"response\": \"b\"}\\n{\"prompt\": \"a\"}\\n | line 2: no \"response\"",
            "'' | no examples (the file is empty)",
            "LONG | line 1: \"prompt\" (",
    })
    void badDataIsOneLineAndExitCode2(String text, String message) throws IOException {
        String body = text.equals("LONG") ? "{\"prompt\": \"" + "the sky ".repeat(200) + "\", \"response\": \"b\"}\n"
                : text.replace("\\n", "\n");
        Path data = write("bad.jsonl", body);
        Cli.Result r = Cli.run(finetune(data, Cli.tinyModel(), dir.resolve("x.gguf"), "--steps", "2"));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 finetune: " + data) && r.err().contains(message), r.err());
    }

    @Test
    void loraWritesTheAdaptersOrWithMergeAModelThatGenerates() throws IOException {
        Path data = write("qa.jsonl", "{\"prompt\": \"Q: sky?\\nA:\", \"response\": \" blue.\"}\n");
        Path adapter = dir.resolve("adapter.gguf"), merged = dir.resolve("merged.gguf");
        Cli.Result a = Cli.ok(finetune(data, Cli.tinyModel(), adapter, "--steps", "2", "--lora-rank", "2", "-t", "1"));
        assertTrue(a.out().contains("(LoRA adapters, rank 2, alpha 4.0; apply with -m " + Cli.model() + " --lora " + adapter
                + ")"), a.out());
        Cli.Result m = Cli.ok(finetune(data, Cli.tinyModel(), merged, "--steps", "2", "--lora-rank", "2", "--merge", "-t", "1"));
        assertTrue(m.out().contains("merged"), m.out());
        Cli.ok("generate", "-m", merged.toString(), "-n", "2", "Q: sky?");
        Cli.Result bad = Cli.run(finetune(data, Cli.tinyModel(), merged, "--steps", "2", "--merge"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--lora-alpha and --merge go with --lora-rank"), bad.err());
    }

    // ---------------------------------------------------------------- converted and default models

    @AfterEach
    void clearDefaultModel() {
        System.clearProperty(ModelOptions.DEFAULT_MODEL_PROPERTY);
    }

    /** fixtures/convert/hf/FAMILY converted by {@code gpt2 convert --type TYPE} into this test's folder. */
    Path converted(String family, String type) {
        Path out = dir.resolve(family + "-" + type + ".gguf");
        ConvertCommandTest.converted(family, out, "--type", type);
        return out;
    }

    /** Whether tensor {@code name} has the same bytes in both files. */
    static boolean sameTensor(Path a, Path b, String name) {
        try (GgufFile fa = GgufFile.open(a); GgufFile fb = GgufFile.open(b)) {
            return fa.tensorData(name).mismatch(fb.tensorData(name)) == -1;
        }
    }

    /** The loss column of a --log file, one value a step. */
    static double[] losses(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(0).startsWith("step\tlr\tloss\t"), lines.get(0));
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split("\t")[2])).toArray();
    }

    /** Every loss logged is a finite number >= 0 (a cross-entropy, DPO's -log σ), one a step. */
    static void assertFiniteLosses(int steps, double[] losses) {
        assertEquals(steps, losses.length, Arrays.toString(losses));
        for (double l : losses) {
            assertTrue(Double.isFinite(l) && l >= 0, Arrays.toString(losses));
        }
    }

    /** {@code tuned}, fine-tuned from {@code base}: its {@code tensor} moved, and it generates after {@code prompt}. */
    static void assertTuned(Path base, Path tuned, String tensor, String prompt) {
        assertFalse(sameTensor(base, tuned, tensor), "the weights did not move");
        assertGeneratesOnBothEngines(tuned, prompt);
    }

    /** {@code model} loads and generates three tokens after {@code prompt} on both engines. */
    static void assertGeneratesOnBothEngines(Path model, String prompt) {
        for (String engine : List.of("native", "java")) {
            Cli.Result g = Cli.run("generate", "-m", model.toString(), "--engine", engine, "-n", "3", "--ignore-eos", "-t", "1",
                    prompt);
            assertEquals(0, g.code(), engine + ": " + g.err());
            assertTrue(g.out().endsWith(System.lineSeparator()) && g.out().length() > System.lineSeparator().length(),
                    engine + ": no text: '" + g.out() + "'");
        }
    }

    /**
     * The losses of a DPO run's --log: finite, one a step ({@link #assertFiniteLosses}), the first -log σ(0) = ln 2
     * whatever the model, as the policy still is the reference.
     */
    static double[] assertDpoLosses(int steps, Path log) throws IOException {
        double[] losses = losses(log);
        assertFiniteLosses(steps, losses);
        assertEquals(Math.log(2), losses[0], 1e-5, Arrays.toString(losses));
        return losses;
    }

    /** {@code gpt2 info -m MODEL} prints each of {@code lines}. */
    static void assertInfo(Path model, String... lines) {
        Cli.Result info = Cli.ok("info", "-m", model.toString(), "-t", "1");
        for (String line : lines) {
            assertTrue(info.out().contains(line), line.strip() + " not in:\n" + info.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16"})
    void sftFromAConvertedHuggingFaceModelLowersTheValidationLossAndKeepsItsType(String type) throws IOException {
        Path base = converted("gpt2", type), data = write("qa.jsonl", QA);
        Path out = dir.resolve("tuned.gguf"), log = dir.resolve("log.tsv");
        Cli.Result r = Cli.ok(finetune(data, base, out, "--val", data.toString(), "--steps", "4", "--batch", "2", "--lr",
                "1e-2", "-t", "1", "--log", log.toString()));
        assertTrue(r.out().startsWith("wrote " + out + "\n"), r.out());
        Matcher m = Pattern.compile("validation loss (\\d+\\.\\d+) \\((\\d+\\.\\d+) at the start\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < Double.parseDouble(m.group(2)), r.out());
        assertFiniteLosses(4, losses(log));
        assertInfo(out, "n_layer:       2\n", "n_embd:        64\n", "n_vocab:       500\n",
                "weight type:   " + type.toUpperCase(java.util.Locale.ROOT) + "\n");
        assertTuned(base, out, "blk.0.attn_qkv.weight", "Q: sky?\nA:");
    }

    @Test
    void dpoFromAConvertedHuggingFaceModelStartsAtLn2AndWritesAModelThatGenerates() throws IOException {
        Path base = converted("gpt2", "f32"), data = write("pref.jsonl", PREF);
        Path out = dir.resolve("dpo.gguf"), log = dir.resolve("log.tsv");
        Cli.Result r = Cli.ok(finetune(data, base, out, "--method", "dpo", "--beta", "0.5", "--steps", "3", "--lr", "1e-3",
                "-t", "1", "--log", log.toString()));
        assertTrue(r.out().contains("1 preference pairs (0 held out)"), r.out());
        double[] losses = assertDpoLosses(3, log);
        assertTrue(losses[2] < losses[0], "DPO did not move the policy toward the chosen response: " + Arrays.toString(losses));
        assertTuned(base, out, "blk.1.ffn_down.weight", "Q: sky?\nA:");
    }

    @Test
    void loraFromAConvertedHuggingFaceModelWritesTheAdaptersOrAMergedModelWithTheRestFrozen() throws IOException {
        Path base = converted("gpt2", "f32"), data = write("qa.jsonl", QA);
        Path adapter = dir.resolve("adapter.gguf"), merged = dir.resolve("merged.gguf");
        Cli.Result a = Cli.ok(finetune(data, base, adapter, LORA));
        assertTrue(a.out().startsWith("wrote " + adapter + " (LoRA adapters, rank 2, alpha 4.0; apply with -m "), a.out());
        assertAdapters(adapter, 2, 64);
        Cli.Result m = Cli.ok(finetune(data, base, merged, LORA_MERGED));
        assertTrue(m.out().startsWith("wrote " + merged + " (LoRA rank 2, alpha 4.0, merged)"), m.out());
        assertMergedChangesOnlyTheAdaptedMatrices(base, merged);
        assertGeneratesOnBothEngines(merged, "Q: sky?\nA:");
    }

    /** A LoRA GGUF in llama.cpp's layout: lora_a [n_embd or 4 n_embd, rank] and lora_b for 4 matrices a block, B trained. */
    static void assertAdapters(Path adapter, int nLayer, int nEmbd) {
        try (GgufFile g = GgufFile.open(adapter)) {
            assertEquals("adapter", g.getString("general.type"));
            assertEquals("lora", g.getString("adapter.type"));
            assertEquals(4f, g.getFloat("adapter.lora.alpha"));
            assertEquals(nLayer * 4 * 2, g.tensorList().size(), g.tensors().keySet().toString());
            for (int il = 0; il < nLayer; il++) {
                for (String[] t : new String[][] {{"attn_qkv", "1", "3"}, {"attn_output", "1", "1"}, {"ffn_up", "1", "4"},
                        {"ffn_down", "4", "1"}}) {
                    String name = "blk." + il + "." + t[0] + ".weight";
                    GgufFile.TensorInfo la = g.tensors().get(name + ".lora_a"), lb = g.tensors().get(name + ".lora_b");
                    assertEquals(List.of((long) Integer.parseInt(t[1]) * nEmbd, 2L), List.of(la.ne(0), la.ne(1)), name);
                    assertEquals(List.of(2L, (long) Integer.parseInt(t[2]) * nEmbd), List.of(lb.ne(0), lb.ne(1)), name);
                }
            }
            // B starts at zero (the adapted model is the base at step 0); training moves it
            var b = g.tensorData("blk.0.attn_qkv.weight.lora_b");
            boolean moved = false;
            for (long i = 0; i < b.byteSize() / 4 && !moved; i++) {
                moved = b.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i) != 0;
            }
            assertTrue(moved, "lora_b is still zero");
        }
    }

    /** The merged model differs from the base in the adapted matrices only: embeddings, norms and biases are the base's. */
    static void assertMergedChangesOnlyTheAdaptedMatrices(Path base, Path merged) {
        for (String t : new String[] {"token_embd.weight", "position_embd.weight", "blk.0.attn_norm.weight",
                "blk.0.attn_qkv.bias", "output_norm.weight"}) {
            assertTrue(sameTensor(base, merged, t), t + " changed in a LoRA run");
        }
        for (String t : new String[] {"blk.0.attn_qkv.weight", "blk.0.ffn_down.weight"}) {
            assertFalse(sameTensor(base, merged, t), t + " was not merged");
        }
    }

    @Test
    void anUntiedConvertedModelIsOneLineAndExitCode2() throws IOException {
        Path base = converted("gpt2-untied-ft", "f32");
        Cli.Result r = Cli.run(finetune(write("qa.jsonl", QA), base, dir.resolve("x.gguf"), "--steps", "2"));
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code(), r.err());
        assertEquals(List.of("gpt2 finetune: " + base + " has its own output.weight (an untied lm_head); the trainer trains "
                + "GPT-2's tied output only (see 'gpt2 finetune --help')"), r.errLines());
        assertTrue(Files.notExists(dir.resolve("x.gguf")));
    }

    @Test
    void aQuantizedConvertedModelIsOneLineAndExitCode2() throws IOException {
        Path base = converted("gpt2", "q8_0");
        Cli.Result r = Cli.run(finetune(write("qa.jsonl", QA), base, dir.resolve("x.gguf"), "--steps", "2"));
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 finetune: " + base + ": ") && r.err().contains(" is Q8_0; fine-tuning starts from "
                + "F32 or F16 weights (convert or train with --type f32/f16)"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.gguf")));
    }

    @Test
    void sftAndDpoStartFromTheDefaultModelWhenNoModelIsNamed() throws IOException {
        Path kjv = Cli.defaultModel();
        System.setProperty(ModelOptions.DEFAULT_MODEL_PROPERTY, kjv.toString());
        Path sft = dir.resolve("sft.gguf"), sftLog = dir.resolve("sft.tsv");
        Cli.Result s = Cli.ok("finetune", write("qa.jsonl", QA).toString(), "-o", sft.toString(), "--steps", "2",
                "--batch", "2", "--lr", "1e-3", "-t", "1", "--log", sftLog.toString());
        assertTrue(s.out().contains("2 examples (0 held out), sequences padded to"), s.out());
        assertFiniteLosses(2, losses(sftLog));
        assertFalse(sameTensor(kjv, sft, "blk.5.attn_qkv.weight"), "the weights did not move");
        Path dpo = dir.resolve("dpo.gguf"), dpoLog = dir.resolve("dpo.tsv");
        Cli.ok("finetune", write("pref.jsonl", PREF).toString(), "-o", dpo.toString(), "--method", "dpo",
                "--steps", "2", "--lr", "1e-3", "-t", "1", "--log", dpoLog.toString());
        assertDpoLosses(2, dpoLog);
        for (Path out : List.of(sft, dpo)) {
            // the default model's shape and its F16 weights, kept
            assertInfo(out, "n_layer:       6\n", "n_embd:        128\n", "n_vocab:       50257\n", "weight type:   F16\n");
        }
        assertGeneratesOnBothEngines(dpo, "In the beginning");
    }

    @Test
    void loraFromTheDefaultModelWritesTheAdaptersOrAMergedModelWithTheRestFrozen() throws IOException {
        Path kjv = Cli.defaultModel(), data = write("qa.jsonl", QA);
        Path adapter = dir.resolve("adapter.gguf"), merged = dir.resolve("merged.gguf");
        Cli.ok(finetune(data, kjv, adapter, LORA));
        assertAdapters(adapter, 6, 128);
        Cli.ok(finetune(data, kjv, merged, LORA_MERGED));
        assertMergedChangesOnlyTheAdaptedMatrices(kjv, merged);
        assertGeneratesOnBothEngines(merged, "In the beginning");
    }
}
