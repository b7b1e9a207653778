package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.TensorType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gpt2 quantize}: GGUF to GGUF through libgpt2's gpt2_quantize. */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0", "f16", "f32"})
    void rewritesTheWeightMatrices(String type) {
        Path out = tmp.resolve("tiny-" + type + ".gguf");
        Cli.Result r = Cli.run("quantize", Cli.model(), out.toString(), "--type", type, "-t", "1");
        assertEquals(0, r.code(), r.err());
        TensorType want = TensorType.valueOf(type.toUpperCase());
        assertTrue(r.out().startsWith("wrote " + out + ": " + want + ", "), r.out());
        try (Gpt2Model m = Gpt2Model.load(out)) {
            assertEquals(want, m.weightType());
            assertEquals(2, m.nLayer());
        }
    }

    @Test
    void theSameFileIsRefused() throws Exception {
        Path copy = tmp.resolve("m.gguf");
        Files.copy(Cli.tinyModel(), copy);
        Cli.Result r = Cli.run("quantize", copy.toString(), copy.toString(), "--type", "q8_0");
        assertEquals(Gpt2Cli.EXIT_FAILURE, r.code());
        assertTrue(r.err().contains("are the same file"), r.err());
    }

    @Test
    void aMissingInputIsNamed() {
        Path missing = tmp.resolve("missing.gguf");
        Cli.Result r = Cli.run("quantize", missing.toString(), tmp.resolve("o.gguf").toString(), "--type", "q8_0");
        assertEquals(Gpt2Cli.EXIT_FAILURE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }

    @Test
    void tooManyThreadsIsAUsageError() {
        Cli.Result r = Cli.run("quantize", Cli.model(), tmp.resolve("o.gguf").toString(), "--type", "q8_0", "-t", "5000");
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code());
        assertTrue(r.err().startsWith("gpt2 quantize: --threads "), r.err());
        assertFalse(Files.exists(tmp.resolve("o.gguf")));
    }

    @Test
    void anUnknownTypeIsAUsageError() {
        Cli.Result r = Cli.run("quantize", Cli.model(), tmp.resolve("o.gguf").toString(), "--type", "q6_k");
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--type must be one of f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, was 'q6_k'"), r.err());
    }
}
