package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpt2 convert}: a Hugging Face folder (fixtures/convert/hf/) to a GGUF the other commands read. */
class ConvertCommandTest {

    @TempDir
    Path tmp;

    static String hf(String family) {
        return Path.of(System.getProperty("gpt2.fixtures.dir"), "convert", "hf", family).toString();
    }

    /** {@code gpt2 convert FAMILY -o OUT OPTIONS...}, which must succeed. */
    static Cli.Result converted(String family, Path out, String... options) {
        String[] args = Stream.concat(Stream.of("convert", hf(family), "-o", out.toString()), Stream.of(options))
                .toArray(String[]::new);
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void convertsAFolderIntoAModelTheOtherCommandsRead() {
        Path out = tmp.resolve("gpt2-medium-q8_0.gguf");
        Cli.Result r = converted("gpt2-medium", out, "--type", "q8_0", "-t", "1");
        assertTrue(r.out().startsWith("wrote " + out + ": Q8_0, 40 tensors, "), r.out());
        assertTrue(r.out().contains("(general.name \"Gpt2 Medium\")"), r.out());
        assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
        Cli.Result info = Cli.run("info", "-m", out.toString(), "-t", "1");
        assertEquals(0, info.code(), info.err());
        for (String s : new String[] {"n_layer:       3\n", "n_head:        8\n", "n_embd:        64\n", "n_ctx_train:   96\n",
                "n_vocab:       500\n", "weight type:   Q8_0\n"}) {
            assertTrue(info.out().contains(s), s.strip() + " not in:\n" + info.out());
        }
        Cli.Result gen = Cli.run("generate", "-m", out.toString(), "-n", "4", "-t", "1", "Hello");
        assertEquals(0, gen.code(), gen.err());
    }

    @Test
    void drawsAProgressBarOnStderrWhenAsked() {
        Cli.Result r = converted("distilgpt2", tmp.resolve("distil.gguf"), "--type", "f32", "--progress", "always");
        assertTrue(r.err().startsWith("\rconverting ["), r.err());
        assertTrue(r.err().contains("] 100%  token_embd.weight"), r.err());
        assertTrue(r.err().endsWith(System.lineSeparator()), "the bar's line is ended");
    }

    @Test
    void saysWhenItQuantizes() {
        Cli.Result r = converted("distilgpt2", tmp.resolve("distil-q4.gguf"), "--type", "q4_0", "--progress", "always");
        assertTrue(r.err().contains("quantizing to Q4_0 (libgpt2) ..."), r.err());
        assertTrue(r.out().contains(": Q4_0, "), r.out());
    }

    @Test
    void aPickleOnlyFolderIsAOneLineFailure() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("pickle"));
        Files.copy(Path.of(hf("distilgpt2"), "config.json"), d.resolve("config.json"));
        Files.write(d.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        Cli.Result r = Cli.run("convert", d.toString(), "-o", tmp.resolve("x.gguf").toString());
        assertEquals(Gpt2Cli.EXIT_FAILURE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 convert: " + d + ": no model.safetensors, only pytorch_model.bin."), r.err());
        assertFalse(Files.exists(tmp.resolve("x.gguf")));
    }

    @Test
    void aNonGpt2FolderIsAOneLineFailure() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("bert"));
        Files.writeString(d.resolve("config.json"), "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"]}");
        Cli.Result r = Cli.run("convert", d.toString());
        assertEquals(Gpt2Cli.EXIT_FAILURE, r.code());
        assertTrue(r.err().contains("model_type is \"bert\". Only GPT-2 checkpoints are supported"), r.err());
    }

    @Test
    void anUnknownTypeIsAUsageError() {
        Cli.Result r = Cli.run("convert", hf("gpt2"), "--type", "q5_1");
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code());
        assertTrue(r.err().startsWith("gpt2 convert: --type must be one of f32, f16, q8_0, q4_0, was 'q5_1'"), r.err());
    }
}
