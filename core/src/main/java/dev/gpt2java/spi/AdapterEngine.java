package dev.gpt2java.spi;

import dev.gpt2java.AdapterInfo;

/**
 * The engine's LoRA adapter behind a {@link dev.gpt2java.LoraAdapter}, loaded by {@link ModelEngine#loadAdapter}
 * and handed back to the same engine's {@link SessionEngine#setAdapters}. Its lifetime is the caller's:
 * {@link #close()} runs once no session holds it any more.
 */
public interface AdapterEngine {

    /** What it is: name, rank, alpha, matrices. */
    AdapterInfo info();

    /** Frees it. */
    void close();
}
