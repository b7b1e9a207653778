package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gpt2 train}: a small run end to end, its log and its model; and its usage errors. */
class TrainCommandTest {

    @TempDir
    Path dir;

    Path fixture(String name) {
        return Path.of(System.getProperty("gpt2.fixtures.dir"), "small-untied", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void trainsWritesTheModelTheLogAndASummaryThenTheModelGeneratesOnEitherEngine(String engine) throws IOException {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "the cat sat on the mat. ".repeat(400));
        Path out = dir.resolve("m.gguf"), log = dir.resolve("log.tsv");
        Cli.Result r = Cli.ok("train", corpus.toString(), "-o", out.toString(), "--vocab",
                fixture("vocab.json").toString(), "--merges", fixture("merges.txt").toString(), "--layers", "1",
                "--embd", "32", "--heads", "2", "--ctx", "16", "--batch", "2", "--steps", "5", "--val-every", "4",
                "--eval-every", "5", "--eval-batches", "1", "-t", "1", "--log", log.toString(), "--engine", engine);
        assertTrue(r.out().contains("wrote " + out), r.out());
        assertTrue(r.out().contains("5 steps in"), r.out());
        assertTrue(r.out().contains("unigram baseline"), r.out());
        assertTrue(r.err().contains("5/5 loss"), r.err());
        assertLogged(log, 5);
        Cli.ok("generate", "-m", out.toString(), "-n", "4", "the cat");
    }

    /**
     * The --log file of a run of {@code steps} steps (train's and finetune's): the header, a line a step, a
     * validation loss at the last step.
     */
    static void assertLogged(Path log, int steps) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertEquals(steps + 1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("step\tlr\tloss\tval_loss"), lines.get(0));
        String last = lines.get(steps);
        assertTrue(last.split("\t")[3].matches("\\d+\\.\\d+"), "no validation loss at the last step: " + last);
    }

    @Test
    void usageErrorsExitWith2AndSayWhy() {
        Cli.Result r = Cli.run("train", dir.resolve("missing.txt").toString(), "-o", "x.gguf", "--steps", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such corpus file"), r.err());
        Cli.Result half = Cli.run("train", fixture("vocab.json").toString(), "-o", "x.gguf", "--steps", "3", "--vocab",
                fixture("vocab.json").toString());
        assertEquals(2, half.code());
        assertTrue(half.err().contains("--vocab and --merges go together"), half.err());
        Cli.Result shape = Cli.run("train", fixture("vocab.json").toString(), "-o", "x.gguf", "--steps", "3", "--vocab",
                fixture("vocab.json").toString(), "--merges", fixture("merges.txt").toString(), "--embd", "30",
                "--heads", "4");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("nHead must divide nEmbd"), shape.err());
    }
}
