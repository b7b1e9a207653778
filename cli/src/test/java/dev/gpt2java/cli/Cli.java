package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code gpt2} in-process through picocli's {@code execute}, with captured stdout and stderr. */
final class Cli {

    /** Exit code, stdout and stderr of one run. */
    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    /** {@code gpt2 ARGS...}, which must succeed: exit code 0, else the test fails with its stderr. */
    static Result ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    static Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gpt2Cli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The committed fixture model (a truncated GPT-2 vocabulary of 1000 tokens). */
    static Path tinyModel() {
        String dir = System.getProperty("gpt2.fixtures.dir");
        if (dir == null) {
            throw new IllegalStateException("-Dgpt2.fixtures.dir is not set (surefire sets it to fixtures/)");
        }
        Path p = Path.of(dir, "tiny-odd-heads", "model-f32.gguf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing");
        }
        return p;
    }

    static String model() {
        return tinyModel().toString();
    }

    /** The project's own model, models/gpt2-kjv.gguf: what bin/gpt2 uses when no -m is given. */
    static Path defaultModel() {
        Path fixtures = tinyModel().getParent().getParent().toAbsolutePath().normalize();
        Path p = fixtures.resolveSibling("models").resolve("gpt2-kjv.gguf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing");
        }
        return p;
    }
}
