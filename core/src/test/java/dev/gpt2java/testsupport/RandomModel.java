package dev.gpt2java.testsupport;

import dev.gpt2java.TensorType;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The shape and seed of a GPT-2 with random weights, as the test fixtures need them, written by the
 * native build's {@code gpt2-make-model} tool (libgpt2 has no writer of random models: the tool's
 * library, gpt2-tools, does). The same parameters give the same file. The tool checks the values
 * (test_make_model); nothing is checked here.
 *
 * @param nVocab      256 byte tokens, merges of them, and {@code <|endoftext|>} last ({@code --vocab})
 * @param nCtx        learned positions ({@code --ctx})
 * @param nEmbd       embedding width ({@code --embd})
 * @param nHead       attention heads ({@code --head})
 * @param nLayer      blocks ({@code --layer})
 * @param weightType  type of the 2-D matrices; norms and biases stay F32 ({@code --type})
 * @param tiedOutput  no {@code output.weight} (else {@code --untied})
 * @param seed        seed of the weights, unsigned ({@code --seed})
 * @param scale       standard deviation of the weights ({@code --scale})
 */
public record RandomModel(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer, TensorType weightType,
                          boolean tiedOutput, long seed, float scale) {

    /** The tool's defaults: vocab 512, ctx 128, embd 64, 4 heads, 2 layers, F32, tied, seed 42, scale 0.02. */
    public static RandomModel defaults() {
        return new RandomModel(512, 128, 64, 4, 2, TensorType.F32, true, 42, 0.02f);
    }

    /** The tool's options for these parameters, every one given. */
    public List<String> options() {
        List<String> a = new ArrayList<>(List.of("--vocab", Integer.toString(nVocab), "--ctx", Integer.toString(nCtx),
                "--embd", Integer.toString(nEmbd), "--head", Integer.toString(nHead), "--layer", Integer.toString(nLayer),
                "--type", weightType.name().toLowerCase(Locale.ROOT), "--seed", Long.toUnsignedString(seed),
                "--scale", Float.toString(scale)));
        if (!tiedOutput) {
            a.add("--untied");
        }
        return a;
    }

    /** Writes the model to {@code file} with {@code gpt2-make-model}; fails the test if the tool does. */
    public void write(Path file) {
        makeModel(file, options());
    }

    /**
     * The {@code gpt2-make-model} program of the native build: {@code bin/} of the CMake build dir that
     * {@code -Dgpt2.native.build.dir} names (core's pom sets it). Missing = failure, never a skip.
     */
    public static Path tool() {
        String dir = System.getProperty("gpt2.native.build.dir");
        if (dir == null || dir.isBlank()) {
            fail("-Dgpt2.native.build.dir is not set: the tests make random models with the native build's"
                    + " bin/gpt2-make-model");
        }
        String exe = System.getProperty("os.name").startsWith("Windows") ? "gpt2-make-model.exe" : "gpt2-make-model";
        Path tool = Path.of(dir).resolve("bin").resolve(exe).toAbsolutePath().normalize();
        if (!Files.isExecutable(tool)) {
            fail(tool + " is missing: build the native tools first (./ci/mvn -B -DskipTests install)");
        }
        return tool;
    }

    /** Runs {@code gpt2-make-model --out file options...}; fails the test, with its output, unless it exits 0. */
    public static void makeModel(Path file, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of(tool().toString(), "--out", file.toString()));
        cmd.addAll(options);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                fail(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public RandomModel withNVocab(int nVocab) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withNCtx(int nCtx) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withNEmbd(int nEmbd) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withNHead(int nHead) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withNLayer(int nLayer) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withWeightType(TensorType weightType) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withTiedOutput(boolean tiedOutput) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withSeed(long seed) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModel withScale(float scale) {
        return new RandomModel(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }
}
