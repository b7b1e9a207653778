package dev.gpt2java.spi;

import dev.gpt2java.Engine;
import dev.gpt2java.ModelParams;

import java.nio.file.Path;

/**
 * An engine that is not part of this module: the pure-Java one ({@code dev.gpt2java:gpt2-java-engine-java},
 * module {@code dev.gpt2java.jvm}) provides one, found by {@link java.util.ServiceLoader} on the module or
 * the class path when {@link ModelParams#engine()} asks for it.
 */
public interface EngineProvider {

    /** The engine this provider loads models for. */
    Engine engine();

    /**
     * Loads a GPT-2 GGUF file.
     *
     * @throws dev.gpt2java.Gpt2Exception if the file cannot be read or is not a valid GPT-2 GGUF (the
     *                                    message names the file)
     * @throws UnsupportedOperationException for parameters the engine cannot honour
     */
    ModelEngine load(Path path, ModelParams params);
}
