package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The KV cache: decoding token by token (or in pieces) equals evaluating the prompt at once; copy and truncate. */
class KvCacheTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f32", "q8_0"})
    void decodingTokenByTokenEqualsFullPromptEvaluation(String type) {
        int[] prompt = Fixtures.prompt("small-untied");
        try (JvmModel m = JvmModel.load(Fixtures.file("small-untied", "model-" + type + ".gguf"));
             JvmSession s = m.newSession(Fixtures.options(true).withNSeqMax(2))) {
            float[] all = Fixtures.flatten(s.evalAll(0, prompt));
            float[][] step = new float[prompt.length][];
            for (int i = 0; i < prompt.length; i++) {
                step[i] = s.eval(1, prompt[i]);
            }
            double err = Fixtures.relErr(Fixtures.flatten(step), all);
            System.out.printf("jvm kv cache %s token-by-token vs batch: %.3g%n", type, err);
            assertTrue(err <= 1e-5, "token by token vs batch " + err);
            assertEquals(prompt.length, s.seqLength(0));
            assertEquals(prompt.length, s.seqLength(1));
        }
    }

    @Test
    void truncateThenReevaluateGivesTheSameLogits() {
        int[] prompt = Fixtures.prompt("tiny-odd-heads");
        try (JvmModel m = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"));
             JvmSession s = m.newSession(Fixtures.options(true))) {
            float[] first = s.eval(0, prompt);
            s.seqTruncate(0, 40);
            assertEquals(40, s.seqLength(0));
            float[] again = s.eval(0, Arrays.copyOfRange(prompt, 40, prompt.length));
            assertTrue(Fixtures.relErr(again, first) <= 1e-5);
            s.seqClear(0);
            assertEquals(0, s.seqLength(0));
        }
    }

    @Test
    void aCopiedSequenceContinuesLikeItsSource() {
        int[] prompt = Fixtures.prompt("tiny-odd-heads");
        try (JvmModel m = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"));
             JvmSession s = m.newSession(Fixtures.options(true).withNSeqMax(3))) {
            s.eval(0, Arrays.copyOf(prompt, 32));
            s.seqCopy(0, 2);
            assertEquals(32, s.seqLength(2));
            float[] a = s.eval(0, 5, 6, 7);
            float[] b = s.eval(2, 5, 6, 7);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void misuseIsRefusedWithoutChangingTheCache() {
        try (JvmModel m = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"));
             JvmSession s = m.newSession(Fixtures.options(false).withNCtx(8))) {
            assertThrows(IllegalArgumentException.class, () -> s.eval(0));
            assertThrows(IllegalArgumentException.class, () -> s.eval(1, 3));
            assertThrows(IllegalArgumentException.class, () -> s.eval(0, 1000));
            assertThrows(IllegalArgumentException.class, () -> s.eval(0, new int[9]));
            assertEquals(0, s.seqLength(0));
            s.close();
            assertThrows(IllegalStateException.class, () -> s.eval(0, 1));
        }
    }
}
