package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVM engine on the F32 GGUF computes what Hugging Face computes in float32 (fixtures/README.md):
 * logits at all 64 positions within 1e-4 of max|logit|, with the Vector API kernels and the scalar ones;
 * attention probabilities and hidden states match HF's too.
 */
class HuggingFaceParityTest {

    static final double F32_BOUND = 1e-4;

    static Stream<Arguments> modelsAndKernels() {
        List<Arguments> out = new ArrayList<>();
        for (String m : Fixtures.MODELS) {
            out.add(Arguments.of(m, true));
            out.add(Arguments.of(m, false));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} vector={1}")
    @MethodSource("modelsAndKernels")
    void f32LogitsMatchHuggingFaceAtEveryPosition(String model, boolean vector) {
        int[] prompt = Fixtures.prompt(model);
        float[] hf = Fixtures.floats(model, "logits.npy");
        try (JvmModel m = JvmModel.load(Fixtures.file(model, "model-f32.gguf"));
             JvmSession s = m.newSession(Fixtures.options(vector))) {
            float[] ours = Fixtures.flatten(s.evalAll(0, prompt));
            assertEquals(hf.length, ours.length);
            double err = Fixtures.relErr(ours, hf);
            System.out.printf("jvm HF parity %-15s f32 vector=%-5s max|jvm-HF|/max|HF| = %.3g (bound %.0e)%n",
                    model, vector, err, F32_BOUND);
            assertTrue(err <= F32_BOUND, model + ": " + err);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gpt2java.jvm.Fixtures#models")
    void capturedAttentionAndHiddenStatesMatchHuggingFace(String model) {
        int[] prompt = Fixtures.prompt(model);
        float[] hfAttn = Fixtures.floats(model, "attentions.npy"); // [L, H, 64, 64]
        float[] hfHidden = Fixtures.floats(model, "hidden.npy");   // [L+1, 64, E]
        try (JvmModel m = JvmModel.load(Fixtures.file(model, "model-f32.gguf"));
             JvmSession s = m.newSession(Fixtures.options(true).withCaptureAttention(true).withCaptureHidden(true))) {
            s.evalAll(0, prompt);
            int L = m.hparams().nLayer(), H = m.hparams().nHead(), E = m.hparams().nEmbd(), T = prompt.length;
            float[] attn = new float[L * H * T * T];
            for (int l = 0; l < L; l++) {
                float[][][] a = s.attention(l);
                for (int h = 0; h < H; h++) {
                    for (int t = 0; t < T; t++) {
                        System.arraycopy(a[h][t], 0, attn, ((l * H + h) * T + t) * T, T);
                    }
                }
            }
            double attnErr = Fixtures.relErr(attn, hfAttn);
            // HF's hidden_states: [0] embeddings, [i] block i-1's output for i < L, [L] = ln_f(last block)
            float[] hidden = new float[(L + 1) * T * E];
            for (int i = 0; i <= L; i++) {
                float[][] h = s.hidden(i == L ? L + 1 : i);
                for (int t = 0; t < T; t++) {
                    System.arraycopy(h[t], 0, hidden, (i * T + t) * E, E);
                }
            }
            double hidErr = Fixtures.relErr(hidden, hfHidden);
            System.out.printf("jvm HF parity %-15s attention %.3g, hidden %.3g (relative to max)%n",
                    model, attnErr, hidErr);
            assertTrue(attnErr <= 1e-4, "attention " + attnErr);
            assertTrue(hidErr <= 1e-4, "hidden " + hidErr);
        }
    }
}
