package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.testsupport.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A converted model computes what Hugging Face computes from the same folder: for every family folder of
 * fixtures/convert/hf/, the F32 GGUF we write gives, on both engines, the logits HF transformers gave
 * (float32, eager attention; fixtures/convert/reference/NAME.logits.npy) at every position of a 16-token
 * prompt, within 1e-4 of the largest |HF logit| (the engines' F32 tolerance; exact GELU, F32 KV cache).
 * F16 and BF16 checkpoints convert to F32 exactly, so they are held to the same bound.
 */
class ConvertedLogitsTest {

    static final double F32_BOUND = 1e-4;

    @TempDir
    static Path tmp;

    static Stream<Arguments> familiesAndEngines() {
        List<Arguments> out = new ArrayList<>();
        for (String f : ConvertFixtures.FAMILIES) {
            out.add(Arguments.of(f, Engine.NATIVE));
            out.add(Arguments.of(f, Engine.JAVA));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndEngines")
    void convertedF32LogitsEqualHuggingFace(String family, Engine engine) throws IOException {
        Path out = tmp.resolve(family + "-" + engine + "-f32.gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(ConvertFixtures.hf(family), out).withType(TensorType.F32));
        int[] prompt = Npy.read(ConvertFixtures.reference(family + ".prompt.npy")).ints();
        Npy hf = Npy.read(ConvertFixtures.reference(family + ".logits.npy"));
        ModelParams mp = ModelParams.defaults().withGelu(Gelu.EXACT).withBackend(Backend.CPU).withEngine(engine).withThreads(1);
        try (Gpt2Model m = Gpt2Model.load(out, mp);
                Session s = m.newSession(SessionParams.defaults().withNCells(Math.max(prompt.length, 32))
                        .withNBatch(prompt.length).withKvType(TensorType.F32))) {
            assertArrayEquals(new int[] {prompt.length, m.nVocab()}, hf.shape(), "logits.npy shape");
            assertEquals(prompt.length, s.eval(Batch.builder().addAllLogits(0, prompt).build()));
            float[] ours = s.logitsView().toArray();
            float[] ref = hf.floats();
            double maxDiff = 0;
            double scale = 0;
            for (int i = 0; i < ref.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
                scale = Math.max(scale, Math.abs(ref[i]));
            }
            double rel = maxDiff / scale;
            System.out.printf("converted %-15s %-6s vs HF: max|ours-HF|/max|HF| = %.3g (bound %.0e)%n", family, engine, rel, F32_BOUND);
            assertTrue(rel <= F32_BOUND, family + " " + engine + ": " + rel + " > " + F32_BOUND);
        }
    }
}
