package dev.gpt2java.jvm;

import dev.gpt2java.testsupport.TestSupport;
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
        return TestSupport.fixture(model, name);
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
        return TestSupport.tmpDir("jvm");
    }

    static float[] flatten(float[][] rows) {
        return TestSupport.concat(rows);
    }

    /** max|a - ref| / max|ref|. */
    static double relErr(float[] a, float[] ref) {
        return TestSupport.relErr(a, ref);
    }

    static JvmSession.Options options(boolean vector) {
        return JvmSession.Options.defaults().withThreads(2).withVector(vector);
    }
}
