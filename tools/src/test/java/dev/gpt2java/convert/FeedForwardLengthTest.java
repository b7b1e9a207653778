package dev.gpt2java.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.TensorType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpt2.feed_forward_length is the MLP width the checkpoint has (config.json's n_inner, 4 * n_embd when
 * null), so a GPT-2 with another n_inner converts into a file both engines load. (llama.cpp's converter
 * writes 4 * n_embd whatever n_inner says; for every GPT-2 of the Hub n_inner is null and the two agree.)
 */
class FeedForwardLengthTest {

    @TempDir
    Path tmp;

    @Test
    void nInnerIsTheFeedForwardLength() throws IOException {
        Path d = ConvertFixtures.copy("gpt2-untied-ft", tmp.resolve("gpt2-untied-ft"));
        // n_embd 32: the MLP goes from 128 to 48 wide; the first 48 columns / rows of the original weights
        Path st = d.resolve("model.safetensors");
        LinkedHashMap<String, SafeTensorsFiles.Entry> t = SafeTensorsFiles.read(st);
        SafeTensorsFiles.Entry fc = t.get("transformer.h.0.mlp.c_fc.weight");      // [32, 128]
        byte[] fcw = new byte[32 * 48 * 4];
        for (int r = 0; r < 32; r++) {
            System.arraycopy(fc.data(), r * 128 * 4, fcw, r * 48 * 4, 48 * 4);
        }
        t.put("transformer.h.0.mlp.c_fc.weight", new SafeTensorsFiles.Entry("F32", new long[] {32, 48}, fcw));
        SafeTensorsFiles.Entry fcb = t.get("transformer.h.0.mlp.c_fc.bias");
        t.put("transformer.h.0.mlp.c_fc.bias", new SafeTensorsFiles.Entry("F32", new long[] {48}, Arrays.copyOf(fcb.data(), 48 * 4)));
        SafeTensorsFiles.Entry proj = t.get("transformer.h.0.mlp.c_proj.weight"); // [128, 32]
        t.put("transformer.h.0.mlp.c_proj.weight", new SafeTensorsFiles.Entry("F32", new long[] {48, 32},
                Arrays.copyOf(proj.data(), 48 * 32 * 4)));
        SafeTensorsFiles.write(st, t);
        Path c = d.resolve("config.json");
        Files.writeString(c, Files.readString(c).replace("\"n_head\": 2,", "\"n_head\": 2,\n  \"n_inner\": 48,"));

        Path out = tmp.resolve("n-inner.gguf");
        HuggingFaceConverter.convert(HuggingFaceConverter.Params.of(d, out).withType(TensorType.F32));
        GgufStructure s = GgufStructure.read(out);
        assertTrue(s.metadata().contains(new GgufStructure.Kv("gpt2.feed_forward_length", "UINT32", 48L)), s.metadata().toString());
        float[][] logits = new float[2][];
        for (Engine e : Engine.values()) {
            try (Gpt2Model m = Gpt2Model.load(out, ModelParams.defaults().withEngine(e).withThreads(1));
                    Session sess = m.newSession()) {
                assertEquals(48, m.nFf(), e.toString());
                logits[e.ordinal()] = sess.eval(0, 1, 2, 3);
            }
        }
        double diff = 0;
        for (int i = 0; i < logits[0].length; i++) {
            diff = Math.max(diff, Math.abs(logits[0][i] - logits[1][i]));
        }
        assertTrue(diff < 1e-4, "native and Java engines differ by " + diff);
    }
}
