package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgufWriter;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes trained weights as a GPT-2 GGUF that gpt2-java and llama.cpp load: llama.cpp's keys and tensor
 * names, the tokenizer's tokens, types and merges, the output projection tied to token_embd (no
 * output.weight). In "f16", 2-D tensors are F16 and 1-D ones F32, as llama.cpp's converter writes them.
 */
final class ModelFile {

    private static final int TOKEN_NORMAL = 1, TOKEN_CONTROL = 3;
    private static final int FTYPE_ALL_F32 = 0, FTYPE_MOSTLY_F16 = 1;

    private ModelFile() {
    }

    static void write(Path path, String type, String name, Parameters layout, float[] params, Vocabulary vocab,
                      Map<String, String> provenance) throws IOException {
        ModelShape s = layout.shape;
        if (vocab.tokens().size() != s.nVocab()) {
            throw new IllegalArgumentException("vocabulary of " + vocab.tokens().size() + " tokens for a model of "
                    + s.nVocab());
        }
        boolean f16 = type.equals("f16");
        int[] types = new int[s.nVocab()];
        Arrays.fill(types, TOKEN_NORMAL);
        vocab.specialTokens().values().forEach(id -> types[id] = TOKEN_CONTROL);
        int eos = vocab.specialTokens().getOrDefault(Gpt2Tokenizer.END_OF_TEXT, s.nVocab() - 1);
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "gpt2")
                .putString("general.type", "model")
                .putString("general.name", name);
        provenance.forEach(w::putString);
        w.putU32("gpt2.block_count", s.nLayer())
                .putU32("gpt2.context_length", s.nCtx())
                .putU32("gpt2.embedding_length", s.nEmbd())
                .putU32("gpt2.feed_forward_length", s.nFf())
                .putU32("gpt2.attention.head_count", s.nHead())
                .putF32("gpt2.attention.layer_norm_epsilon", 1e-5f)
                .putU32("general.file_type", f16 ? FTYPE_MOSTLY_F16 : FTYPE_ALL_F32)
                .putU32("general.quantization_version", 2)
                .putString("tokenizer.ggml.model", "gpt2")
                .putString("tokenizer.ggml.pre", "gpt-2")
                .putStrings("tokenizer.ggml.tokens", vocab.tokens())
                .putI32s("tokenizer.ggml.token_type", types)
                .putStrings("tokenizer.ggml.merges", vocab.merges())
                .putU32("tokenizer.ggml.bos_token_id", eos)
                .putU32("tokenizer.ggml.eos_token_id", eos);
        for (Parameters.Tensor t : layout.tensors()) {
            float[] values = Arrays.copyOfRange(params, t.offset(), t.offset() + t.size());
            if (f16 && t.shape().length == 2) {
                w.addF16(t.name(), t.shape(), values);
            } else {
                w.addF32(t.name(), t.shape(), values);
            }
        }
        w.write(path);
    }
}
