package dev.gpt2java;

/** {@code tokenizer.ggml.token_type} of a token (the values of llama.cpp's {@code llama_token_type}). */
public enum TokenType {
    UNDEFINED,
    NORMAL,
    UNKNOWN,
    /** A control token such as {@code <|endoftext|>}. */
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE;

    private static final TokenType[] VALUES = values();

    /** The GGUF value: the constants are declared in llama.cpp's order, from 0. */
    public int code() {
        return ordinal();
    }

    /** The constant for a GGUF value; {@link #UNDEFINED} for values outside the table. */
    public static TokenType ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNDEFINED;
    }
}
