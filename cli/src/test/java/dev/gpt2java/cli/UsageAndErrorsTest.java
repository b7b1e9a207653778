package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

/** Help, version, and the one-line errors with their exit codes (2 usage, 1 failure). */
class UsageAndErrorsTest {

    /** The commands as picocli knows them (each once, aliases aside). */
    static List<String> commands() {
        return Gpt2Cli.commandLine(InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).getSubcommands().values().stream()
                .map(CommandLine::getCommandName).distinct().toList();
    }

    @Test
    void helpAndTheNoCommandErrorListEveryCommand() {
        assertTrue(commands().containsAll(List.of("tokenize", "next", "info", "generate", "beam", "help")), commands().toString());
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code());
        Cli.Result none = Cli.run();
        for (String c : commands()) {
            assertTrue(r.out().contains("\n  " + c + " ") || r.out().contains("\n  " + c + ", "),
                    c + " missing from:\n" + r.out());
            assertTrue(none.err().contains(" " + c), c + " missing from: " + none.err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenize", "next", "info", "generate"})
    void everyCommandHasHelp(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: gpt2 " + command), r.out());
        assertTrue(r.out().contains("--model"), r.out());
    }

    @Test
    void versionNamesTheCliAndLibgpt2() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("gpt2 (gpt2-java CLI) "), r.out());
        assertTrue(r.out().contains("libgpt2 API "), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "-k=x", "--backend=tpu"})
    void aBadOptionIsOneLineAndExitCode2(String option) {
        Cli.Result r = Cli.run("next", "-m", Cli.model(), option, "hi");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 next: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void noCommandAndNoModelAreUsageErrors() {
        assertEquals(2, Cli.run().code());
        Cli.Result r = Cli.run("info");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--model"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenize", "next", "info", "generate"})
    void aMissingModelIsOneLineWithoutStackTraceAndExitCode1(String command, @TempDir Path dir) {
        Path missing = dir.resolve("no-such-model.gguf");
        Cli.Result r = command.equals("info") ? Cli.run(command, "-m", missing.toString())
                : Cli.run(command, "-m", missing.toString(), "hi");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("gpt2 " + command + ": "), r.err());
        assertTrue(r.err().contains("no-such-model.gguf"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aFileThatIsNotAModelIsOneLineAndVerboseAddsTheStackTrace(@TempDir Path dir) throws Exception {
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.gguf"), "not a gguf at all");
        Cli.Result r = Cli.run("info", "-m", bad.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("GPT2_ERR_FORMAT"), r.err());
        Cli.Result verbose = Cli.run("info", "--verbose", "-m", bad.toString());
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat dev.gpt2java."), verbose.err());
        Cli.Result before = Cli.run("--verbose", "info", "-m", bad.toString());
        // the message and the library's frames (the test's own frames name their line)
        assertEquals(verbose.errLines().subList(0, 4), before.errLines().subList(0, 4), "--verbose before the command");
    }
}
