package dev.gpt2java.convert;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model folder or file that cannot be converted: a missing or malformed file, a checkpoint that is
 * not a GPT-2, a weight type not supported. The message says which file and what to do where there is
 * something to do (e.g. how to get safetensors from a {@code pytorch_model.bin}).
 */
public class ConversionException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message);
    }

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConversionException of(Path file, String message) {
        return new ConversionException(file + ": " + message);
    }

    static ConversionException of(Path file, String message, Throwable cause) {
        return new ConversionException(file + ": " + message, cause);
    }
}
