package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gpt2 finetune}: SFT and DPO runs end to end from the tiny fixture model, their log and summary; bad data in one line. */
class FinetuneCommandTest {

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void sftWritesTheModelTheLogAndASummaryThenTheModelGenerates() throws IOException {
        Path data = write("qa.jsonl", "{\"prompt\": \"Q: sky?\\nA:\", \"response\": \" blue.\"}\n"
                + "{\"prompt\": \"Q: grass?\\nA:\", \"response\": \" green.\"}\n");
        Path out = dir.resolve("tuned.gguf"), log = dir.resolve("log.tsv");
        Cli.Result r = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", out.toString(), "--val",
                data.toString(), "--steps", "4", "--batch", "2", "--lr", "1e-3", "-t", "1", "--log", log.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out), r.out());
        assertTrue(r.out().contains("2 examples (2 held out), sequences padded to"), r.out());
        assertTrue(r.out().matches("(?s).*4 steps in .* validation loss \\d+\\.\\d+ \\(\\d+\\.\\d+ at the start\\).*"), r.out());
        assertTrue(r.err().contains("4/4 loss"), r.err());
        var lines = Files.readAllLines(log);
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("step\tlr\tloss\tval_loss"), lines.get(0));
        assertTrue(lines.get(4).split("\t")[3].matches("\\d+\\.\\d+"), "no validation loss at the last step: " + lines.get(4));
        Cli.Result g = Cli.run("generate", "-m", out.toString(), "-n", "3", "Q: sky?\nA:");
        assertEquals(0, g.code(), g.err());
    }

    @Test
    void dpoDryRunCountsThePairsAndARunWritesTheModel() throws IOException {
        Path data = write("pref.jsonl", "{\"prompt\": \"Q: sky?\\nA:\", \"chosen\": \" blue.\", \"rejected\": \" red.\"}\n");
        Cli.Result dry = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", dir.resolve("x.gguf").toString(),
                "--method", "dpo", "--steps", "2", "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("1 preference pairs (0 held out)"), dry.out());
        assertTrue(Files.notExists(dir.resolve("x.gguf")), "a dry run wrote a model");
        Path out = dir.resolve("dpo.gguf");
        Cli.Result r = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", out.toString(), "--method", "dpo",
                "--beta", "0.5", "--steps", "2", "-t", "1");
        assertEquals(0, r.code(), r.err());
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
        Cli.Result r = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", dir.resolve("x.gguf").toString(),
                "--steps", "2");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 finetune: " + data) && r.err().contains(message), r.err());
    }

    @Test
    void loraWritesTheAdaptersOrWithMergeAModelThatGenerates() throws IOException {
        Path data = write("qa.jsonl", "{\"prompt\": \"Q: sky?\\nA:\", \"response\": \" blue.\"}\n");
        Path adapter = dir.resolve("adapter.gguf"), merged = dir.resolve("merged.gguf");
        Cli.Result a = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", adapter.toString(), "--steps", "2",
                "--lora-rank", "2", "-t", "1");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("(LoRA adapters, rank 2, alpha 4.0)"), a.out());
        Cli.Result m = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", merged.toString(), "--steps", "2",
                "--lora-rank", "2", "--merge", "-t", "1");
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("merged"), m.out());
        assertEquals(0, Cli.run("generate", "-m", merged.toString(), "-n", "2", "Q: sky?").code());
        Cli.Result bad = Cli.run("finetune", data.toString(), "-m", Cli.model(), "-o", merged.toString(), "--steps", "2",
                "--merge");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--lora-alpha and --merge go with --lora-rank"), bad.err());
    }
}
