package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/** Tensor types of weights and KV cache ({@code enum gpt2_type}; the values are ggml's). */
public enum TensorType {
    F32(gpt2_h.GPT2_TYPE_F32()),
    F16(gpt2_h.GPT2_TYPE_F16()),
    Q4_0(gpt2_h.GPT2_TYPE_Q4_0()),
    Q4_1(gpt2_h.GPT2_TYPE_Q4_1()),
    Q5_0(gpt2_h.GPT2_TYPE_Q5_0()),
    Q5_1(gpt2_h.GPT2_TYPE_Q5_1()),
    Q8_0(gpt2_h.GPT2_TYPE_Q8_0()),
    BF16(gpt2_h.GPT2_TYPE_BF16());

    private final int code;

    TensorType(int code) {
        this.code = code;
    }

    /** The ggml type id. */
    public int code() {
        return code;
    }

    /** Whether rows of this type are stored in blocks of 32 values (the {@code Q*} types). */
    public boolean isQuantized() {
        return this != F32 && this != F16 && this != BF16;
    }

    /** The constant for a ggml type id; IllegalArgumentException for types gpt2.h does not list. */
    public static TensorType ofCode(int code) {
        return Codes.of(values(), TensorType::code, code, "tensor type");
    }

    /** The constant for a ggml type id, or null for types gpt2.h does not list. */
    public static TensorType ofCodeOrNull(int code) {
        return Codes.find(values(), TensorType::code, code, null);
    }
}
