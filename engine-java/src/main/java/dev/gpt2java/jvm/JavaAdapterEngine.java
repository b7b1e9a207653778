package dev.gpt2java.jvm;

import dev.gpt2java.AdapterInfo;
import dev.gpt2java.spi.AdapterEngine;

/** The pure-Java adapter ({@link JvmAdapter}) behind a {@link dev.gpt2java.LoraAdapter}. */
record JavaAdapterEngine(JvmAdapter adapter) implements AdapterEngine {

    @Override
    public AdapterInfo info() {
        return adapter.info();
    }

    /** Nothing to free: its memory goes with the last session that holds it (an automatic arena). */
    @Override
    public void close() {
    }
}
