package dev.gpt2java.gguf;

/** A GGUF file (or the model in it) is malformed or unsupported; the message starts with the file's path. */
public final class GgufFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }
}
