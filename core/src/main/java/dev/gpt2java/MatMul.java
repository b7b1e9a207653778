package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/**
 * Whose kernels compute a session's matrix products of 1 to 64 columns, a decode step of 1 to 64 sequences
 * ({@code enum gpt2_matmul}).
 */
public enum MatMul {
    /** ggml's {@code ggml_mul_mat} everywhere, as llama.cpp computes. */
    GGML,
    /**
     * libgpt2's own kernels for F16, Q8_0 and Q4_0 weights times 1 to 64 columns, which read each weight block
     * once for all columns (F16 weights meet the F32 activations unrounded; Q8_0 and Q4_0 weights meet
     * activations quantized to Q8_0 as ggml's); ggml's for the other products. libgpt2 on the CPU only (a GPU
     * model refuses it).
     */
    LIBGPT2,
    /**
     * The default: {@link #LIBGPT2} on the CPU backend, {@link #GGML} elsewhere. On the CPU measured libgpt2's
     * kernels decode Q8_0 about 1.3 times as fast as ggml's and F16 about as fast (docs/BENCHMARKS.md); a session's
     * {@link Session#params()} says which it got.
     * The Java engine has one path and ignores this.
     */
    AUTO;

    int code() {
        return switch (this) {
            case GGML -> gpt2_h.GPT2_MATMUL_GGML();
            case LIBGPT2 -> gpt2_h.GPT2_MATMUL_LIBGPT2();
            case AUTO -> gpt2_h.GPT2_MATMUL_AUTO();
        };
    }

    static MatMul ofCode(int code) {
        return Codes.of(values(), MatMul::code, code, "gpt2_matmul");
    }
}
