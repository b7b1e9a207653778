package dev.gpt2java.spi;

import dev.gpt2java.ModelInfo;
import dev.gpt2java.SessionParams;
import dev.gpt2java.TokenType;

import java.nio.file.Path;
import java.util.List;

/**
 * The engine behind a {@link dev.gpt2java.Gpt2Model}: libgpt2 (in this module) or the pure-Java engine
 * (module {@code dev.gpt2java.jvm}, found through {@link EngineProvider}). For engine implementors, not for
 * applications: arguments are checked by Gpt2Model before an engine sees them, and its lifetime scheme
 * keeps calls and close apart.
 */
public interface ModelEngine {

    /** What the model is; read once at load. */
    ModelInfo info();

    String tokenText(int id);

    byte[] tokenBytes(int id);

    TokenType tokenType(int id);

    List<String> merges();

    float[][] tokenEmbeddings(int first, int n);

    float[][] unembed(float[][] hidden, boolean applyFinalNorm);

    SessionEngine newSession(SessionParams params);

    /**
     * Loads a LoRA adapter file for this model (gpt2.h, "LoRA adapters"); a file that is not one, or not for
     * this model's shape, is a {@link dev.gpt2java.Gpt2Exception} naming it and the fault.
     */
    AdapterEngine loadAdapter(Path path);

    /** Frees the engine's model (sessions keep what they need). */
    void close();
}
