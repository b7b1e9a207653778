package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.fail;

import dev.gpt2java.Gpt2Model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The committed fixture models (F32 GGUF), loaded once per test JVM. */
final class Models {

    private static final Map<String, Gpt2Model> LOADED = new HashMap<>();

    private Models() {
    }

    static Path fixturesDir() {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            fail("fixtures directory " + d + " does not exist (set -Dgpt2.fixtures.dir)");
        }
        return d;
    }

    static Path fixture(String... parts) {
        Path f = fixturesDir();
        for (String p : parts) {
            f = f.resolve(p);
        }
        if (!Files.exists(f)) {
            fail("fixture file " + f + " is missing (regenerate with the scripts under fixtures/)");
        }
        return f;
    }

    static synchronized Gpt2Model get(String name) {
        return LOADED.computeIfAbsent(name, n -> Gpt2Model.load(fixture(n, "model-f32.gguf")));
    }

    static Gpt2Model tiny() {
        return get("tiny-odd-heads");
    }
}
