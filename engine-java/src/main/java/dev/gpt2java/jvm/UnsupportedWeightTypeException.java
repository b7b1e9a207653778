package dev.gpt2java.jvm;

/**
 * A valid GPT-2 GGUF whose matrices are in a type this engine does not compute with (F32, F16, Q8_0 and
 * Q4_0 are); libgpt2 may run it. Not a fault of the file: the message names it, the tensor and the type.
 */
public final class UnsupportedWeightTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedWeightTypeException(String message) {
        super(message);
    }
}
