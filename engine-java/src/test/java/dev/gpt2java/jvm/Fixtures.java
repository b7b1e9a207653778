package dev.gpt2java.jvm;

import dev.gpt2java.Backend;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.testsupport.Npy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed fixtures and the error measure of the parity tests. */
final class Fixtures {

    static final List<String> MODELS = List.of("tiny-odd-heads", "small-untied");

    /** The fixtures with Hugging Face reference outputs. */
    static final List<String> HF_MODELS = MODELS;

    private Fixtures() {
    }

    static java.util.stream.Stream<String> models() {
        return MODELS.stream();
    }

    static Path file(String model, String name) {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize();
        Path f = d.resolve(model).resolve(name);
        if (!Files.isRegularFile(f)) {
            fail("fixture file " + f + " is missing (set -Dgpt2.fixtures.dir)");
        }
        return f;
    }

    /** A fixture's F32 model on {@code engine}, with HF parity settings (exact GELU, CPU). */
    static Gpt2Model load(String fixture, Engine engine) {
        return Gpt2Model.load(file(fixture, "model-f32.gguf"),
                ModelParams.defaults().withGelu(Gelu.EXACT).withBackend(Backend.CPU).withEngine(engine));
    }

    static int[] prompt(String model) {
        return Npy.load(file(model, "prompt.npy")).ints();
    }

    static float[] floats(String model, String name) {
        return Npy.load(file(model, name)).floats();
    }

    static Path tmpDir() {
        try {
            String base = System.getProperty("gpt2.test.tmpdir");
            Path root = base != null ? Path.of(base) : Path.of(System.getProperty("java.io.tmpdir"), "gpt2-java-tests");
            Path d = root.resolve("jvm").toAbsolutePath();
            Files.createDirectories(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        float[] out = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * n, n);
        }
        return out;
    }

    /** max|a - ref| / max|ref|. */
    static double relErr(float[] a, float[] ref) {
        if (a.length != ref.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + ref.length);
        }
        double m = 0, r = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - ref[i]));
            r = Math.max(r, Math.abs(ref[i]));
        }
        return m / r;
    }

    static JvmSession.Options options(boolean vector) {
        return JvmSession.Options.defaults().withThreads(2).withVector(vector);
    }
}
