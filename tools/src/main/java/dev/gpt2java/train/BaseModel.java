package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.Gpt2Gguf;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.Vocabulary;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 GGUF read into the trainer's flat layout ({@link Parameters}), to start from: its shape, its
 * weights in F32, its vocabulary (control tokens as special tokens) and its end-of-text token.
 */
record BaseModel(ModelShape shape, float[] params, Vocabulary vocab, int eos, String name, String weightType) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int TOKEN_CONTROL = 3;

    /**
     * @throws IllegalArgumentException if the file is not a GPT-2 GGUF the trainer can start from (untied
     *                                  output, a quantized type, another feed-forward width or epsilon)
     */
    static BaseModel read(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            Gpt2Gguf g = Gpt2Gguf.of(file);
            if (!g.outputTied()) {
                throw new IllegalArgumentException(path + " has its own output.weight (an untied lm_head); the trainer"
                        + " trains GPT-2's tied output only");
            }
            if (g.nFf() != 4 * g.nEmbd() || g.normEps() != ModelShape.GPT2_NORM_EPS) {
                throw new IllegalArgumentException(path + ": the trainer trains GPT-2's feed-forward width 4 × n_embd and "
                        + "LayerNorm epsilon 1e-5, not n_ff " + g.nFf() + " and epsilon " + g.normEps());
            }
            ModelShape shape = new ModelShape(g.nVocab(), g.nCtx(), g.nEmbd(), g.nHead(), g.nLayer());
            Parameters layout = new Parameters(shape);
            float[] params = new float[layout.count];
            for (Parameters.Tensor t : layout.tensors()) {
                GgufFile.TensorInfo info = g.tensor(t.name());
                if (info == null) {
                    throw new IllegalArgumentException(path + ": no tensor " + t.name());
                }
                MemorySegment data = file.data(info);
                switch (info.type()) {
                    case F32 -> MemorySegment.copy(data, F32, 0, params, t.offset(), t.size());
                    case F16 -> {
                        for (int i = 0; i < t.size(); i++) {
                            params[t.offset() + i] = Float.float16ToFloat(data.getAtIndex(F16, i));
                        }
                    }
                    default -> throw new IllegalArgumentException(path + ": " + t.name() + " is " + info.type()
                            + "; fine-tuning starts from F32 or F16 weights (convert or train with --type f32/f16)");
                }
            }
            String[] tokens = g.tokens();
            Map<String, Integer> specials = new HashMap<>();
            for (int i = 0; i < tokens.length; i++) {
                if (g.tokenType(i) == TOKEN_CONTROL) {
                    specials.put(tokens[i], i);
                }
            }
            Vocabulary vocab = new Vocabulary(List.of(tokens), g.merges(), specials);
            int eos = g.eosToken() >= 0 ? g.eosToken() : specials.getOrDefault(Gpt2Tokenizer.END_OF_TEXT, -1);
            if (eos < 0) {
                throw new IllegalArgumentException(path + " names no end-of-text token (tokenizer.ggml.eos_token_id)");
            }
            return new BaseModel(shape, params, vocab, eos, g.name(), g.weightType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
