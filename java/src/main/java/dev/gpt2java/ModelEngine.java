package dev.gpt2java;

import java.util.List;

/**
 * The engine behind a {@link Gpt2Model}: {@link NativeModelEngine} (libgpt2) or {@link JavaModelEngine}
 * ({@code dev.gpt2java.jvm}). Arguments are checked by Gpt2Model; its lock keeps calls and close apart.
 */
interface ModelEngine {

    int nVocab();

    int nCtxTrain();

    int nEmbd();

    int nHead();

    int nLayer();

    int nFf();

    float normEps();

    int weightTypeCode();

    boolean outputTied();

    long nParams();

    long sizeBytes();

    String backendName();

    String name();

    int bos();

    int eos();

    String tokenText(int id);

    byte[] tokenBytes(int id);

    TokenType tokenType(int id);

    List<String> merges();

    float[][] tokenEmbeddings(int first, int n);

    float[][] unembed(float[][] hidden, boolean applyFinalNorm);

    SessionEngine newSession(SessionParams params);

    /** Frees the engine's model (sessions keep what they need). */
    void close();
}
