package dev.gpt2java.spi;

/**
 * The engine's LoRA adapter behind a {@link dev.gpt2java.LoraAdapter}, loaded by {@link ModelEngine#loadAdapter}
 * and handed back to the same engine's {@link SessionEngine#setAdapters}. Its lifetime is the caller's:
 * {@link #close()} runs once no session holds it any more.
 */
public interface AdapterEngine {

    /** {@code general.name}, or "". */
    String name();

    /** The largest rank of its matrices. */
    int rank();

    /** {@code adapter.lora.alpha}, or 0 when the file has none. */
    float alpha();

    /** The matrices it adapts. */
    int nMatrices();

    /** Frees it. */
    void close();
}
