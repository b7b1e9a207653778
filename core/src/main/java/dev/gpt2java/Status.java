package dev.gpt2java;

import dev.gpt2java.internal.Codes;
import dev.gpt2java.internal.ffi.gpt2_h;

/** The status codes of libgpt2 ({@code gpt2_status} in gpt2.h). */
public enum Status {
    /** Success. */
    OK(gpt2_h.GPT2_OK()),
    /** An argument is out of range, or NULL where it may not be. */
    INVALID_ARG(gpt2_h.GPT2_ERR_INVALID_ARG()),
    /** The file cannot be opened, read or written. */
    IO(gpt2_h.GPT2_ERR_IO()),
    /** Not a GGUF file, truncated, corrupt, or not a GPT-2 model. */
    FORMAT(gpt2_h.GPT2_ERR_FORMAT()),
    /** Valid input this build cannot handle (tensor type, backend). */
    UNSUPPORTED(gpt2_h.GPT2_ERR_UNSUPPORTED()),
    /** An allocation failed (host or device). */
    OUT_OF_MEMORY(gpt2_h.GPT2_ERR_OUT_OF_MEMORY()),
    /** The session's KV cache has no free cell for the batch. */
    KV_FULL(gpt2_h.GPT2_ERR_KV_FULL()),
    /** The compute backend failed. */
    BACKEND(gpt2_h.GPT2_ERR_BACKEND()),
    /** A bug in libgpt2: please report the message. */
    INTERNAL(gpt2_h.GPT2_ERR_INTERNAL()),
    /**
     * No status known: a code this binding does not know, or a C function that reports failure by
     * returning NULL ({@code gpt2_model_load}, {@code gpt2_session_new}), which gives a message but no code.
     */
    UNKNOWN(Integer.MIN_VALUE);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The C value ({@code GPT2_ERR_FORMAT} is -3); {@link Integer#MIN_VALUE} for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The constant for a C status code; {@link #UNKNOWN} for codes this binding does not know. */
    public static Status of(int code) {
        return Codes.find(values(), Status::code, code, UNKNOWN);
    }

    /** The C name of the status, {@code "GPT2_ERR_FORMAT"}. */
    public String cName() {
        return switch (this) {
            case OK -> "GPT2_OK";
            case UNKNOWN -> "GPT2_ERR_UNKNOWN";
            default -> "GPT2_ERR_" + name();
        };
    }
}
