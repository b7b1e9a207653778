package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/** Where a model computes ({@code enum gpt2_backend}). */
public enum Backend {
    /** A GPU if this build and the machine have one, else the CPU. */
    AUTO(gpt2_h.GPT2_BACKEND_AUTO()),
    /** The CPU. */
    CPU(gpt2_h.GPT2_BACKEND_CPU()),
    /** An NVIDIA GPU (a CUDA build of libgpt2). */
    CUDA(gpt2_h.GPT2_BACKEND_CUDA()),
    /** An Apple GPU (a Metal build of libgpt2). */
    METAL(gpt2_h.GPT2_BACKEND_METAL());

    private final int code;

    Backend(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Backend ofCode(int code) {
        return Codes.of(values(), Backend::code, code, "gpt2_backend");
    }
}
