package dev.gpt2java.jvm;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The project's own model, models/gpt2-kjv.gguf (trained by gpt2 train, see models/gpt2-kjv.md): it loads
 * on both engines, has the shape its card states, and continues a held-out opening of its corpus with
 * words, greedily, the same on both engines.
 */
class DefaultModelTest {

    static final Path MODEL = Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).toAbsolutePath()
            .normalize().resolveSibling("models").resolve("gpt2-kjv.gguf");

    /** The held-out opening printed by {@code gpt2 train --dry-run} for the committed run. */
    static final String OPENING = "And thou shalt put them into one basket, and bring them";

    static String greedy(Engine engine, int n) {
        assertTrue(Files.isRegularFile(MODEL), MODEL + " is missing");
        try (Gpt2Model m = Gpt2Model.load(MODEL, ModelParams.defaults().withEngine(engine));
                Session s = m.newSession()) {
            assertEquals(50257, m.nVocab());
            assertEquals(6, m.nLayer());
            assertEquals(128, m.nEmbd());
            assertEquals(256, m.nCtxTrain());
            Gpt2Tokenizer tok = m.tokenizer();
            float[] logits = s.eval(0, tok.encode(OPENING));
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int best = Gpt2.argmax(logits);
                out[i] = best;
                logits = s.eval(0, best);
            }
            return tok.decode(out);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void continuesAHeldOutOpeningWithWords(Engine engine) {
        String text = greedy(engine, 24);
        System.out.println("DefaultModelTest (" + engine + "): " + OPENING + "|" + text);
        // words: letters, spaces and the corpus's punctuation only, and at least 10 words of 2+ letters
        assertTrue(text.matches("[A-Za-z ,.;:?!'()\\n-]+"), text);
        assertTrue(text.split("[^A-Za-z]+").length >= 10, text);
        assertEquals(greedy(Engine.NATIVE, 24), text, "the engines continue differently");
    }
}
