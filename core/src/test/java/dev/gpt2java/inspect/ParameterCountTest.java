package dev.gpt2java.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelShape;
import dev.gpt2java.testsupport.Json;
import dev.gpt2java.testsupport.TestSupport;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link ParameterCount} against PyTorch: every tensor's name and shape and the total
 * {@code sum(p.numel())} of Hugging Face's GPT2LMHeadModel, from fixtures/inspect/param-counts.json
 * (made by fixtures/make_param_counts.py).
 */
class ParameterCountTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> models() throws Exception {
        String text = Files.readString(TestSupport.fixturesDir().resolve("inspect/param-counts.json"));
        return (Map<String, Object>) ((Map<String, Object>) Json.parse(text)).get("models");
    }

    /** The shape of a model of the fixture file (n_inner null: 4 × n_embd, as HF). */
    static ModelShape shape(Map<String, Object> m) {
        int embd = ((Double) m.get("n_embd")).intValue();
        Object inner = m.get("n_inner");
        return new ModelShape(((Double) m.get("vocab_size")).intValue(), ((Double) m.get("n_positions")).intValue(), embd,
                ((Double) m.get("n_head")).intValue(), ((Double) m.get("n_layer")).intValue(),
                inner == null ? 4 * embd : ((Double) inner).intValue(), ModelShape.GPT2_NORM_EPS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTensorAndTheTotalAreWhatPyTorchCounts() throws Exception {
        Map<String, Object> models = models();
        assertEquals(9, models.size(), "GPT-2 124M, two fixtures, seven converter fixtures");
        for (Map.Entry<String, Object> e : models.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            ParameterCount c = ParameterCount.of(shape(m), (Boolean) m.get("tie_word_embeddings"));
            List<Map<String, Object>> want = (List<Map<String, Object>>) m.get("tensors");
            List<ParameterCount.Tensor> got = c.tensors();
            // HF lists lm_head last, as the output group does
            assertEquals(want.size(), got.size(), e.getKey());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(want.get(i).get("name"), got.get(i).hfName(), e.getKey());
                long[] shape = ((List<Object>) want.get(i).get("shape")).stream().mapToLong(x -> ((Double) x).longValue()).toArray();
                assertArrayEquals(shape, got.get(i).shape(), e.getKey() + " " + got.get(i).hfName());
                assertEquals(((Double) want.get(i).get("numel")).longValue(), got.get(i).count());
            }
            long total = ((Double) m.get("total")).longValue();
            assertEquals(total, c.total(), e.getKey());
            assertEquals(total, shape(m).nParams((Boolean) m.get("tie_word_embeddings")), "ModelShape.nParams agrees");
        }
    }

    @Test
    void gpt2SmallHas124439808ParametersWithTiedEmbeddings() {
        ParameterCount c = ParameterCount.of(new ModelShape(50257, 1024, 768, 12, 12), true);
        assertEquals(124_439_808L, c.total());
        assertEquals("50257 × 768 + 1024 × 768 = 39,383,808 weights", c.groups().get(0).arithmetic());
        assertEquals("768 × 2304 + 768 × 768 + 768 × 3072 + 3072 × 768 = 7,077,888 weights; "
                + "7,084,800 with biases (2304 + 768 + 3072 + 768); 7,087,872 with LayerNorms (4 × 768)",
                c.groups().get(1).arithmetic());
        assertEquals("1,536 in LayerNorms (2 × 768)", c.groups().get(13).arithmetic());
        assertEquals("39,383,808 + 12 × 7,087,872 + 1,536 = 124,439,808", c.arithmetic());
        assertEquals(124_439_808L, c.count(ParameterCount.Kind.WEIGHTS) + c.count(ParameterCount.Kind.BIAS)
                + c.count(ParameterCount.Kind.NORM));
    }

    @Test
    void anUntiedOutputMatrixIsCountedInTheOutputGroup() {
        ParameterCount c = ParameterCount.of(new ModelShape(1000, 128, 64, 4, 3), false);
        assertEquals("output.weight", c.groups().get(4).tensors().get(2).name());
        assertEquals("1000 × 64 = 64,000 weights; 64,128 with LayerNorms (2 × 64)", c.groups().get(4).arithmetic());
    }

    @Test
    void aLoadedModelsCountIsTheNumberOfParametersInItsFile() {
        for (String f : Fixtures.HF_MODELS) {
            try (Gpt2Model m = Fixtures.load(f, dev.gpt2java.Engine.NATIVE)) {
                assertEquals(m.nParams(), ParameterCount.of(m).total(), f);
            }
        }
    }
}
