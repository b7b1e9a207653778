package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.internal.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpt2 info --params}: every tensor's count and the total are PyTorch's (fixtures/inspect/param-counts.json,
 * made by fixtures/make_param_counts.py) on fixture models, on Hugging Face folders converted by
 * {@code gpt2 convert}, on both engines, and on the default model.
 */
class InfoParamsTest {

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static Map<String, Object> pytorch(String model) throws Exception {
        Path f = Path.of(System.getProperty("gpt2.fixtures.dir"), "inspect", "param-counts.json");
        Map<String, Object> all = (Map<String, Object>) Json.parseObject(Files.readString(f)).get("models");
        return (Map<String, Object>) all.get(model);
    }

    /** The PyTorch counts of {@code model} are in the output: the total, and each tensor's line (HF name, count). */
    @SuppressWarnings("unchecked")
    static void assertPyTorchCounts(String model, Cli.Result r) throws Exception {
        assertEquals(0, r.code(), r.err());
        Map<String, Object> want = pytorch(model);
        long total = ((Number) want.get("total")).longValue();
        String totalLine = r.outLines().stream().filter(l -> l.startsWith("total: ")).findFirst().orElseThrow();
        assertTrue(totalLine.contains(String.format(Locale.ROOT, "= %,d parameters", total)), totalLine);
        for (Map<String, Object> t : (List<Map<String, Object>>) want.get("tensors")) {
            String name = (String) t.get("name");
            String count = String.format(Locale.ROOT, "%,d", ((Number) t.get("numel")).longValue());
            assertTrue(r.outLines().stream().anyMatch(l -> l.contains(" " + name + " ") && l.endsWith(" " + count)),
                    name + " " + count + " not in:\n" + r.out());
        }
    }

    @Test
    void fixtureModelsCountWhatPyTorchCountsOnBothEngines() throws Exception {
        for (String fixture : new String[] {"tiny-odd-heads", "small-untied"}) {
            String model = Path.of(System.getProperty("gpt2.fixtures.dir"), fixture, "model-f16.gguf").toString();
            Cli.Result nat = Cli.run("info", "--params", "-m", model, "-t", "1");
            assertPyTorchCounts(fixture, nat);
            Cli.Result java = Cli.run("info", "--params", "-m", model, "--engine", "java", "-t", "1");
            assertEquals(nat.out(), java.out(), fixture);
        }
    }

    @Test
    void aConvertedHuggingFaceModelCountsWhatPyTorchCountsOnBothEngines() throws Exception {
        for (String family : new String[] {"gpt2", "gpt2-untied-ft"}) {
            Path out = tmp.resolve(family + ".gguf");
            ConvertCommandTest.converted(family, out, "--type", "f32");
            Cli.Result nat = Cli.run("info", "--params", "-m", out.toString(), "-t", "1");
            assertPyTorchCounts("convert/hf/" + family, nat);
            assertEquals(nat.out(), Cli.run("info", "--params", "-m", out.toString(), "--engine", "java", "-t", "1").out(), family);
        }
    }

    @Test
    void printsTheLecturesArithmeticPerBlockAndTheTotal() {
        Cli.Result r = Cli.run("info", "--params", "-m", Cli.model(), "-t", "1");
        assertEquals(0, r.code(), r.err());
        // tiny-odd-heads: 2 layers, n_embd 96, 1000 tokens, 128 positions, tied
        assertTrue(r.out().contains("\nembeddings: 1000 × 96 + 128 × 96 = 108,288 weights\n"), r.out());
        assertTrue(r.out().contains("\nblock 1: 96 × 288 + 96 × 96 + 96 × 384 + 384 × 96 = 110,592 weights; "
                + "111,456 with biases (288 + 96 + 384 + 96); 111,840 with LayerNorms (4 × 96)\n"), r.out());
        assertTrue(r.out().contains("\noutput: 192 in LayerNorms (2 × 96)\n"), r.out());
        assertTrue(r.out().contains("\ntotal: 108,288 + 2 × 111,840 + 192 = 332,160 parameters"), r.out());
    }

    @Test
    void theDefaultModelHasTheParametersItsCardStatesOnBothEngines() {
        Path kjv = Path.of(System.getProperty("gpt2.fixtures.dir")).toAbsolutePath().normalize()
                .resolveSibling("models").resolve("gpt2-kjv.gguf");
        Cli.Result r = Cli.run("info", "--params", "-m", kjv.toString(), "-t", "1");
        assertEquals(0, r.code(), r.err());
        // models/gpt2-kjv.md: "7,655,552; 6,432,896 of them (84%) are the token embeddings"
        assertTrue(r.out().contains("\ntotal: 6,465,664 + 6 × 198,272 + 256 = 7,655,552 parameters"), r.out());
        assertTrue(r.out().contains("token_embd.weight         transformer.wte.weight              50257 × 128   6,432,896\n"),
                r.out());
        assertEquals(r.out(), Cli.run("info", "--params", "-m", kjv.toString(), "--engine", "java", "-t", "1").out());
    }
}
