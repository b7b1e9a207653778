package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/** Which GELU the model's sessions compute ({@code enum gpt2_gelu}). */
public enum Gelu {
    /** The tanh GELU in F32, as Hugging Face's {@code "gelu_new"}: for results that match the reference. */
    EXACT,
    /** ggml's GELU: on the CPU an fp16 lookup table, as llama.cpp; a little faster, ~1e-3 off. */
    FAST;

    int code() {
        return switch (this) {
            case EXACT -> gpt2_h.GPT2_GELU_EXACT();
            case FAST -> gpt2_h.GPT2_GELU_FAST();
        };
    }

    static Gelu ofCode(int code) {
        return Codes.of(values(), Gelu::code, code, "gpt2_gelu");
    }
}
