package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.testsupport.TestSupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A {@code tokenizer.ggml.token_type} value outside llama.cpp's token types (0..6) is a format error at
 * load, naming the key and the index, even right after another call on the same thread failed with a
 * message about another file (which must not show up in this one).
 */
class InvalidTokenTypesTest {

    static Path withTokenTypes(String name, int... minusOneAt) throws IOException {
        Gguf g = Gguf.read(TestSupport.fixture("tiny-odd-heads", "model-q4_0.gguf"));
        Gguf.Arr a = (Gguf.Arr) g.get("tokenizer.ggml.token_type").value();
        List<Object> types = new ArrayList<>(a.elements());
        for (int i : minusOneAt) {
            types.set(i, -1);
        }
        g.set("tokenizer.ggml.token_type", new Gguf.Value(Gguf.T_ARRAY, new Gguf.Arr(a.elementType(), types)));
        Path f = TestSupport.tmpDir("token-types").resolve(name + ".gguf");
        g.write(f);
        return f;
    }

    @Test
    void aNegativeTokenTypeIsAFormatErrorNamingTheKeyAndIndex() throws IOException {
        Path f = withTokenTypes("minus-one", 5, 999);
        // an earlier failure on this thread, about another file
        Path missing = f.resolveSibling("no-such-model.gguf");
        assertThrows(Gpt2Exception.class, () -> Gpt2Model.load(missing));
        Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> Gpt2Model.load(f).close());
        assertEquals(Status.FORMAT, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer.ggml.token_type") && e.getMessage().contains("5"), e.getMessage());
        assertFalse(e.getMessage().contains("no-such-model"), e.getMessage());
    }

    @Test
    void everyTokenTypeOfLlamaCppLoads() throws IOException {
        Gguf g = Gguf.read(TestSupport.fixture("tiny-odd-heads", "model-q4_0.gguf"));
        Gguf.Arr a = (Gguf.Arr) g.get("tokenizer.ggml.token_type").value();
        List<Object> types = new ArrayList<>(a.elements());
        for (int t = 0; t <= 6; t++) {
            types.set(10 + t, t);
        }
        g.set("tokenizer.ggml.token_type", new Gguf.Value(Gguf.T_ARRAY, new Gguf.Arr(a.elementType(), types)));
        Path f = TestSupport.tmpDir("token-types").resolve("all-seven.gguf");
        g.write(f);
        try (Gpt2Model m = Gpt2Model.load(f)) {
            for (int t = 0; t <= 6; t++) {
                assertEquals(TokenType.values()[t], m.tokenType(10 + t));
            }
        }
    }
}
