package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Intervention;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.testsupport.Npy;
import dev.gpt2java.testsupport.TestSupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Head ablation (zero and mean) and activation patching (a head's output, the residual stream) compute
 * what Hugging Face transformers computes under the same rewrite (fixtures/make_intervention_fixtures.py:
 * GPT2LMHeadModel on the fixture's F32 weights, forward pre-hooks on attn.c_proj and on a block), at every
 * one of the 64 positions, on both engines and with libgpt2's flash attention: max|ours - HF| / max|HF|
 * within the F32 bound of the plain forward pass (1e-4). The activations patched in and the mean come from
 * the engine's own captures of the other run, as a user would take them.
 */
class InterventionParityTest {

    static final double F32_BOUND = 1e-4;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String fixture : List.of("tiny-odd-heads", "small-untied")) {
            out.add(Arguments.of(fixture, Engine.NATIVE, false));
            out.add(Arguments.of(fixture, Engine.NATIVE, true));
            out.add(Arguments.of(fixture, Engine.JAVA, false));
        }
        return out.stream();
    }

    private static float[] allLogits(Session s, int[] prompt) {
        s.seqClear(0);
        s.eval(Batch.builder().addAllLogits(0, prompt).build());
        return s.logitsView().toArray();
    }

    private static void assertClose(String what, float[] hf, float[] ours) {
        double scale = 0, diff = 0;
        for (int i = 0; i < hf.length; i++) {
            scale = Math.max(scale, Math.abs(hf[i]));
            diff = Math.max(diff, Math.abs(hf[i] - ours[i]));
        }
        System.out.printf("%s: max|ours - HF| / max|HF| = %.3g%n", what, diff / scale);
        assertTrue(diff / scale <= F32_BOUND, what + ": " + diff / scale + " > " + F32_BOUND);
    }

    private static float[] hf(String fixture, String name) throws IOException {
        return Npy.read(TestSupport.fixture(fixture, "interventions/" + name)).floats();
    }

    @ParameterizedTest(name = "{0} {1} flash attention {2}")
    @MethodSource("cases")
    void interventionsComputeWhatHuggingFaceComputes(String fixture, Engine engine, boolean flash) throws IOException {
        int[] a = Npy.read(TestSupport.fixture(fixture, "prompt.npy")).ints();
        int[] b = Npy.read(TestSupport.fixture(fixture, "interventions/b-prompt.npy")).ints();
        ModelParams mp = ModelParams.defaults().withEngine(engine).withBackend(Backend.CPU).withGelu(Gelu.EXACT);
        try (Gpt2Model m = Gpt2Model.load(TestSupport.fixture(fixture, "model-f32.gguf"), mp);
             Session s = m.newSession(SessionParams.defaults().withNCells(64).withNBatch(64).withKvType(TensorType.F32)
                     .withCaptureHidden(true).withFlashAttn(flash))) {
            String tag = fixture + " " + engine + (flash ? " fa" : "");
            int L = m.nLayer(), D = m.nEmbd() / m.nHead();

            // B's run: its logits, its last block's head outputs and its residual stream after block 0
            assertClose(tag + " b", hf(fixture, "b.npy"), allLogits(s, b));
            float[][] headsB = s.headOutputs(L - 1);
            float[][] residualB = s.hidden(1);
            // A's run: block 0's head outputs, for head 0's mean over the positions
            float[] base = allLogits(s, a);
            float[][] heads0 = s.headOutputs(0);
            float[] mean = new float[D];
            for (float[] row : heads0) {
                for (int e = 0; e < D; e++) mean[e] += row[e] / heads0.length;
            }

            s.setInterventions(List.of(Intervention.zeroHead(0, 1), Intervention.zeroHead(L - 1, 0)));
            assertClose(tag + " zero-heads", hf(fixture, "zero-heads.npy"), allLogits(s, a));
            float[][] ablated = s.headOutputs(0);
            for (float[] row : ablated) {
                assertArrayEquals(new float[D], java.util.Arrays.copyOfRange(row, D, 2 * D), 0f, "head 0.1's captured output");
            }

            s.setInterventions(List.of(Intervention.meanHead(0, 0, mean)));
            assertClose(tag + " mean-head", hf(fixture, "mean-head.npy"), allLogits(s, a));

            s.setInterventions(List.of(Intervention.patchHead(L - 1, 1, 20, java.util.Arrays.copyOfRange(headsB[20], D, 2 * D))));
            assertClose(tag + " patch-head", hf(fixture, "patch-head.npy"), allLogits(s, a));

            s.setInterventions(List.of(Intervention.patchResidual(1, 10, residualB[10])));
            assertClose(tag + " patch-residual", hf(fixture, "patch-residual.npy"), allLogits(s, a));

            s.setInterventions(List.of());
            assertArrayEquals(base, allLogits(s, a), 0f, "cleared interventions give the model as it was");
        }
    }
}
