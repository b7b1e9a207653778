package dev.gpt2java.jvm;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.jvm.JvmModel;
import dev.gpt2java.jvm.JvmSession;
import dev.gpt2java.testsupport.Npy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded sampler chain draws the same tokens on the native engine and on the pure-Java engine (and
 * in a second run): the draw is pure Java and both engines' F32 logits are within ~1e-6 of each other.
 */
class SamplingAcrossBackendsTest {

    static final int STEPS = 48;

    static Path fixture(String file) {
        return Path.of(System.getProperty("gpt2.fixtures.dir", "../fixtures")).resolve("tiny-odd-heads").resolve(file);
    }

    /** Samples STEPS tokens: eval(tokens) returns the logits after appending them. */
    static int[] sample(SamplingParams params, int[] prompt, BiFunction<Integer, int[], float[]> eval) {
        Sampler sampler = params.newSampler();
        int[] history = Arrays.copyOf(prompt, prompt.length + STEPS);
        float[] logits = eval.apply(0, prompt);
        for (int i = 0; i < STEPS; i++) {
            int next = sampler.sample(logits, Arrays.copyOf(history, prompt.length + i));
            history[prompt.length + i] = next;
            logits = eval.apply(0, new int[] {next});
        }
        return Arrays.copyOfRange(history, prompt.length, history.length);
    }

    @Test
    void aSeededChainDrawsTheSameTokensOnBothEnginesAndAcrossRuns() throws Exception {
        int[] prompt = Arrays.copyOf(Npy.read(fixture("prompt.npy")).ints(), 8);
        SamplingParams params = SamplingParams.defaults().withTemperature(0.9).withTopK(40).withTopP(0.95)
                .withRepetitionPenalty(1.1).withSeed(7);
        int[] fromNative;
        int[] again;
        try (Gpt2Model model = Gpt2Model.load(fixture("model-f32.gguf"))) {
            try (Session s = model.newSession()) {
                fromNative = sample(params, prompt, (seq, t) -> s.eval(seq, t));
            }
            try (Session s = model.newSession()) {
                again = sample(params, prompt, (seq, t) -> s.eval(seq, t));
            }
        }
        int[] fromJava;
        try (JvmModel model = JvmModel.load(fixture("model-f32.gguf")); JvmSession s = model.newSession()) {
            fromJava = sample(params, prompt, (seq, t) -> s.eval(seq, t));
        }
        assertArrayEquals(fromNative, again, "a second run");
        assertArrayEquals(fromNative, fromJava, "native vs pure-Java engine");
        assertTrue(Arrays.stream(fromNative).distinct().count() > 5, "the draws vary: " + Arrays.toString(fromNative));
    }
}
