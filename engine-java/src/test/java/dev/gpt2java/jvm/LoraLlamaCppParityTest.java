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
 * positions. With llama.cpp's GELU ({@link Gelu#FAST}, ggml's fp16 table) and ggml's products and graph
 * ({@link MatMul#GGML}) libgpt2 computes the same floats
 * (measured: 0 difference; bound 1e-6); with libgpt2's flash attention (llama.cpp's run has it off) the
 * summation order differs and the table turns that into steps (measured 5.5e-5, bound 2e-4, LlamaCppParityTest's
 * F32 bound). With the exact GELU, on both engines, the
 * difference is the table's (bound 5e-4 of max|llama.cpp|; measured 1.7e-4, and 2.6e-4 for the model without
 * an adapter, llama.cpp's own distance to HF). That llama.cpp loads the file at all shows the layout is
 * llama.cpp's.
 */
class LoraLlamaCppParityTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(Engine.NATIVE, Gelu.FAST, false, 1e-6));
        out.add(Arguments.of(Engine.NATIVE, Gelu.FAST, true, 2e-4));
        out.add(Arguments.of(Engine.NATIVE, Gelu.EXACT, false, 5e-4));
        out.add(Arguments.of(Engine.JAVA, Gelu.EXACT, false, 5e-4));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} GELU {1} flash attention {2}")
    @MethodSource("cases")
    void anAdapterAtRunTimeComputesWhatLlamaCppComputes(Engine engine, Gelu gelu, boolean flash, double bound)
            throws IOException {
        int[] prompt = Npy.read(TestSupport.fixture("tiny-odd-heads", "prompt.npy")).ints();
        Npy want = Npy.read(TestSupport.fixture("tiny-odd-heads", "lora/llamacpp-logits-lora.npy"));
        float[] ref = want.floats();
        float[] plain = Npy.read(TestSupport.fixture("tiny-odd-heads", "llamacpp-logits-f32.npy")).floats();
        ModelParams mp = ModelParams.defaults().withEngine(engine).withBackend(Backend.CPU).withGelu(gelu);
        // with llama.cpp's GELU, the native engine on ggml's products and graph (MatMul.GGML), as llama.cpp computes: the default
        // path fuses LayerNorm and the products' epilogues into nodes of its own, another summation order
        SessionParams sp = SessionParams.defaults().withNCells(64).withNBatch(64).withFlashAttn(flash);
        if (engine == Engine.NATIVE && gelu == Gelu.FAST) sp = sp.withMatMul(MatMul.GGML);
        try (Gpt2Model m = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"), mp);
             LoraAdapter a = m.loadAdapter(TestSupport.fixture("tiny-odd-heads", "lora/adapter.gguf"));
             Session s = m.newSession(sp)) {
            assertEquals(4, a.info().rank());
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
            System.out.printf("LoRA llama.cpp parity %s GELU %s fa=%s: max|ours - llama.cpp| / max|llama.cpp| = %.3g "
                    + "(bound %.0e; the adapter moves llama.cpp's logits by %.3g of it)%n", engine, gelu, flash,
                    diff / scale, bound, moved / scale);
            assertTrue(diff / scale <= bound, engine + " " + gelu + ": " + diff / scale + " > " + bound);
            assertTrue(moved / scale > 0.1, "the adapter moves the logits: " + moved / scale);
        }
    }
}
