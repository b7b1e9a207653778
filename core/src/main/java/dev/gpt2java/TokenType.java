package dev.gpt2java;

import dev.gpt2java.internal.Codes;

/** {@code tokenizer.ggml.token_type} of a token (the values of llama.cpp's {@code llama_token_type}). */
public enum TokenType {
    UNDEFINED(0),
    NORMAL(1),
    UNKNOWN(2),
    /** A control token such as {@code <|endoftext|>}. */
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The GGUF value. */
    public int code() {
        return code;
    }

    /** The constant for a GGUF value; {@link #UNDEFINED} for values outside the table. */
    public static TokenType ofCode(int code) {
        return Codes.find(values(), TokenType::code, code, UNDEFINED);
    }
}
