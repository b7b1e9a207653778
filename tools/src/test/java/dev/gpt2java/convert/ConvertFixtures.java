package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.fail;

import dev.gpt2java.testsupport.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** fixtures/convert/ (made by fixtures/make_convert_fixtures.py): HF folders and llama.cpp's references. */
final class ConvertFixtures {

    /** One folder per GPT-2 family, and a fine-tune with its own lm_head. */
    static final List<String> FAMILIES = List.of("gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "gpt2-untied-ft");

    private ConvertFixtures() {
    }

    static Path root() {
        Path d = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures"), "convert").toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            fail(d + " is missing (committed; made by fixtures/make_convert_fixtures.py)");
        }
        return d;
    }

    static Path hf(String family) {
        return root().resolve("hf").resolve(family);
    }

    static Path reference(String file) {
        Path f = root().resolve("reference").resolve(file);
        if (!Files.isRegularFile(f)) {
            fail(f + " is missing (committed; made by fixtures/make_convert_fixtures.py)");
        }
        return f;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> referenceJson(String family) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(reference(family + ".json")));
    }

    /** Copies an HF folder (to break it in a test). */
    static Path copy(String family, Path dst) throws IOException {
        Path src = hf(family);
        Files.createDirectories(dst);
        try (var s = Files.list(src)) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(p.getFileName()));
            }
        }
        return dst;
    }
}
