package dev.gpt2java.inspect;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gpt2java.Backend;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed fixtures ({@code -Dgpt2.fixtures.dir}, else {@code ../fixtures}); missing = failure. */
final class Fixtures {

    /** The fixtures with Hugging Face reference outputs. */
    static final List<String> HF_MODELS = List.of("tiny-odd-heads", "small-untied");

    private Fixtures() {
    }

    static Path file(String fixture, String name) {
        return TestSupport.fixture(fixture, name);
    }

    /** tiny-odd-heads F32 with HF parity settings (exact GELU, CPU). */
    static Gpt2Model tiny() {
        return load("tiny-odd-heads", Engine.NATIVE);
    }

    /** A fixture's F32 model on {@code engine}, with HF parity settings (exact GELU, CPU). */
    static Gpt2Model load(String fixture, Engine engine) {
        return Gpt2Model.load(file(fixture, "model-f32.gguf"),
                ModelParams.defaults().withGelu(Gelu.EXACT).withBackend(Backend.CPU).withEngine(engine));
    }
}
