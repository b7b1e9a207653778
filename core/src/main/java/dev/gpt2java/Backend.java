package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/** Where a model computes ({@code enum gpt2_backend}). */
public enum Backend {
    /** A GPU if this build and the machine have one, else the CPU. */
    AUTO,
    /** The CPU. */
    CPU,
    /** An NVIDIA GPU (a CUDA build of libgpt2). */
    CUDA,
    /** An Apple GPU (a Metal build of libgpt2). */
    METAL;

    int code() {
        return switch (this) {
            case AUTO -> gpt2_h.GPT2_BACKEND_AUTO();
            case CPU -> gpt2_h.GPT2_BACKEND_CPU();
            case CUDA -> gpt2_h.GPT2_BACKEND_CUDA();
            case METAL -> gpt2_h.GPT2_BACKEND_METAL();
        };
    }

    static Backend ofCode(int code) {
        return Codes.of(values(), Backend::code, code, "gpt2_backend");
    }
}
