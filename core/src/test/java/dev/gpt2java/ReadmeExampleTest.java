package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;
import dev.gpt2java.testsupport.ReadmeBlocks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java example in README.md is this file's {@link #example} body, word for word: so the README's
 * code compiles (it is compiled here) and runs (on a fixture model).
 */
class ReadmeExampleTest {

    static String example(Path modelFile) {
        StringBuilder out = new StringBuilder();
        // README:begin
        try (Gpt2Model model = Gpt2Model.load(modelFile);
             Session session = model.newSession()) {
            Gpt2Tokenizer tokenizer = model.tokenizer();
            StreamingDecoder text = tokenizer.streamingDecoder();
            float[] logits = session.eval(0, tokenizer.encode("The quick brown fox"));
            for (int i = 0; i < 20; i++) {
                int next = argmax(logits);                  // greedy: the most likely token
                out.append(text.accept(next));              // whole characters only
                logits = session.eval(0, next);             // append it, get the next logits
            }
            out.append(text.flush());
        }
        // README:end
        return out.toString();
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void readmeExampleIsThisCode() throws IOException {
        assertEquals(ReadmeBlocks.example("src/test/java/dev/gpt2java/ReadmeExampleTest.java"),
                ReadmeBlocks.block("## From Java", "java", ""), "README.md's ```java block differs from ReadmeExampleTest.example");
    }

    @Test
    void readmeExampleGeneratesTextDeterministically() {
        Path model = TestSupport.fixture("tiny-odd-heads", "model-f32.gguf");
        String text = example(model);
        assertTrue(!text.isEmpty(), "no text");
        assertEquals(text, example(model), "greedy decoding is deterministic");
    }
}
