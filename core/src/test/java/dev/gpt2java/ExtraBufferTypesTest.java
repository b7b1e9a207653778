package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.testsupport.TestSupport;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@link ModelParams#extraBufferTypes()} reaches libgpt2: on a CPU where ggml repacks Q4_0 (AVX2: its 8x8
 * layout) the repacked matrices compute slightly different logits from the plain ones, and the same
 * next token; elsewhere the two are the same model bit for bit. (test_parity checks both layouts
 * against Hugging Face.)
 */
class ExtraBufferTypesTest {

    private static float[] lastLogits(Path file, boolean extra, int[] prompt) {
        ModelParams p = ModelParams.defaults().withBackend(Backend.CPU).withThreads(1).withExtraBufferTypes(extra);
        try (Gpt2Model m = Gpt2Model.load(file, p); Session s = m.newSession()) {
            return s.eval(0, prompt);
        }
    }

    @Test
    void q4_0MatricesAreRepackedWhereTheCpuHasAvx2AndPredictTheSame() {
        Path file = TestSupport.fixture("small-untied", "model-q4_0.gguf");
        int[] prompt = {3, 141, 59, 265, 358, 979, 323, 846};
        float[] with = lastLogits(file, true, prompt);
        float[] without = lastLogits(file, false, prompt);
        assertEquals(with.length, without.length);
        if (Gpt2.systemInfo().contains("AVX2")) {
            assertFalse(java.util.Arrays.equals(with, without), "the repacked layout computed the plain one's logits bit for bit");
            float scale = 0, diff = 0;
            for (int i = 0; i < with.length; i++) {
                scale = Math.max(scale, Math.abs(without[i]));
                diff = Math.max(diff, Math.abs(with[i] - without[i]));
            }
            assertTrue(diff / scale < 0.02f, "layouts differ by " + diff / scale + " of the largest logit");
            assertEquals(Gpt2.argmax(without), Gpt2.argmax(with));
        } else {
            assertArrayEquals(without, with, 0.0f);
        }
    }
}
