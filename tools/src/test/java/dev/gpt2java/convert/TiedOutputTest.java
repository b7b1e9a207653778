package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.TensorType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tied model's output matrix is the token embedding: no output.weight is written, also when the
 * checkpoint still carries an lm_head.weight equal to wte (as old PyTorch saves converted to
 * safetensors do). An untied model's lm_head becomes output.weight.
 */
class TiedOutputTest {

    @TempDir
    Path tmp;

    @Test
    void anLmHeadEqualToWteIsNotWrittenTwice() throws IOException {
        Path plain = tmp.resolve("plain.gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(ConvertFixtures.hf("distilgpt2"), plain).withType(TensorType.F32));

        Path d = ConvertFixtures.copy("distilgpt2", tmp.resolve("distilgpt2"));
        Path st = d.resolve("model.safetensors");
        LinkedHashMap<String, SafeTensorsFiles.Entry> t = SafeTensorsFiles.read(st);
        t.put("lm_head.weight", t.get("transformer.wte.weight"));
        SafeTensorsFiles.write(st, t);
        Path withHead = tmp.resolve("with-head.gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(d, withHead).withType(TensorType.F32));

        GgufStructure a = GgufStructure.read(plain);
        GgufStructure b = GgufStructure.read(withHead);
        assertFalse(b.tensors().stream().anyMatch(x -> x.name().equals("output.weight")), b.tensors().toString());
        assertEquals(a.fileSha256(), b.fileSha256(), "the same file as from the checkpoint without lm_head");
    }

    @Test
    void anUntiedLmHeadBecomesOutputWeight() throws IOException {
        Path out = tmp.resolve("untied.gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(ConvertFixtures.hf("gpt2-untied-ft"), out).withType(TensorType.F32));
        GgufStructure s = GgufStructure.read(out);
        GgufStructure.TensorEntry output = s.tensors().get(0);
        assertEquals("output.weight", output.name(), "first, where lm_head.weight sorts among the HF names");
        assertEquals(java.util.List.of(32L, 512L), output.shape());
        assertTrue(s.tensors().stream().anyMatch(x -> x.name().equals("token_embd.weight")));
    }
}
