package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Backend;
import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gelu;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.LoraAdapter;
import dev.gpt2java.MatMul;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
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
 * The LoRA adapter of fixtures/tiny-odd-heads/lora (written by {@code gpt2 finetune --lora-rank 4}, see
 * fixtures/make_lora_fixtures.sh), applied at run time, gives llama.cpp's logits with the same file applied
 * by llama.cpp itself ({@code llama_adapter_lora_init}, {@code llama_set_adapters_lora}, scale 1) at all 64
 * positions, on both engines and with libgpt2's flash attention: max|ours - llama.cpp| /
 * max|llama.cpp| within the F32 bound of the plain model's llama.cpp parity (2e-4: llama.cpp's GELU reads an
 * fp16 table, ours is exact; LlamaCppParityTest measures 7.8e-5 without an adapter). That llama.cpp loads
 * the file at all shows the layout is llama.cpp's.
 */
class LoraLlamaCppParityTest {

    static final double BOUND = 2e-4;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(Engine.NATIVE, false, MatMul.GGML));
        out.add(Arguments.of(Engine.NATIVE, true, MatMul.GGML));
        out.add(Arguments.of(Engine.JAVA, false, MatMul.GGML));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} flash attention {1} matmul {2}")
    @MethodSource("cases")
    void anAdapterAtRunTimeComputesWhatLlamaCppComputes(Engine engine, boolean flash, MatMul matmul) throws IOException {
        int[] prompt = Npy.read(TestSupport.fixture("tiny-odd-heads", "prompt.npy")).ints();
        Npy want = Npy.read(TestSupport.fixture("tiny-odd-heads", "lora/llamacpp-logits-lora.npy"));
        float[] ref = want.floats();
        float[] plain = Npy.read(TestSupport.fixture("tiny-odd-heads", "llamacpp-logits-f32.npy")).floats();
        ModelParams mp = ModelParams.defaults().withEngine(engine).withBackend(Backend.CPU).withGelu(Gelu.EXACT);
        SessionParams sp = SessionParams.defaults().withNCells(64).withNBatch(64).withFlashAttn(flash);
        if (engine == Engine.NATIVE) {
            sp = sp.withMatMul(matmul);
        }
        try (Gpt2Model m = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"), mp);
             LoraAdapter a = m.loadAdapter(TestSupport.fixture("tiny-odd-heads", "lora/adapter.gguf"));
             Session s = m.newSession(sp)) {
            assertEquals(4, a.rank());
            s.setAdapter(a, 1f);
            s.eval(Batch.builder().addAllLogits(0, prompt).build());
            float[] ours = s.logitsView().toArray();
            assertEquals(ref.length, ours.length);
            double scale = 0, diff = 0, moved = 0;
            for (int i = 0; i < ref.length; i++) {
                scale = Math.max(scale, Math.abs(ref[i]));
                diff = Math.max(diff, Math.abs(ref[i] - ours[i]));
                moved = Math.max(moved, Math.abs(ref[i] - plain[i]));
            }
            System.out.printf("LoRA llama.cpp parity %s fa=%s %s: max|ours - llama.cpp| / max|llama.cpp| = %.3g "
                    + "(the adapter moves llama.cpp's logits by %.3g of it)%n", engine, flash, matmul, diff / scale,
                    moved / scale);
            assertTrue(diff / scale <= BOUND, engine + ": " + diff / scale + " > " + BOUND);
            assertTrue(moved / scale > 100 * BOUND, "the adapter moves the logits: " + moved / scale);
        }
    }
}
