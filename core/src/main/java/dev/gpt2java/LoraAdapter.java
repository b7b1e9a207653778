package dev.gpt2java;

import dev.gpt2java.internal.Lifetime;
import dev.gpt2java.spi.AdapterEngine;

import java.nio.file.Path;

/**
 * A LoRA adapter (Hu et al. 2021) loaded for one {@link Gpt2Model} ({@link Gpt2Model#loadAdapter}): low-rank
 * changes W + scale · B A of the model's block matrices, which a {@link Session} applies in every eval
 * ({@link Session#setAdapter}) without rewriting the weights: x @ W + scale · (x @ A) @ B. One model can
 * then serve its base and several tuned variants at once, each session its own. The file is a GGUF in
 * llama.cpp's LoRA layout, what {@code gpt2 finetune --lora-rank} writes (gpt2.h, "LoRA adapters").
 * As in llama.cpp, scale = the session's scale × alpha / rank (the session's scale alone when the file
 * has no alpha).
 *
 * <h2>Threads and lifetime</h2>
 * Immutable and shared: any number of sessions, on any threads, may apply it at once. {@link #close()}
 * frees it once no session applies it any more (sessions keep what they use); a closed adapter cannot be
 * given to a session. It keeps its model's weights alive, as a session does.
 */
public final class LoraAdapter implements AutoCloseable {

    private final Gpt2Model model;
    private final Path path;
    private final AdapterEngine engine;
    private final AdapterInfo info;
    /** Frees the engine's adapter once closed and released by every session, then lets the model go. */
    private final Lifetime lifetime;

    LoraAdapter(Gpt2Model model, Path path, AdapterEngine engine) {
        this.model = model;
        this.path = path;
        this.engine = engine;
        this.info = engine.info();
        this.lifetime = new Lifetime("LoraAdapter " + path, () -> {
            try {
                engine.close();
            } finally {
                model.lifetime().release();
            }
        });
    }

    /** The model it was loaded for. */
    public Gpt2Model model() {
        return model;
    }

    /** The file it was loaded from. */
    public Path path() {
        return path;
    }

    /** Its name, rank, alpha and how many matrices it adapts. */
    public AdapterInfo info() {
        return info;
    }

    /** Frees the adapter once no session applies it. Idempotent. */
    @Override
    public void close() {
        lifetime.close();
    }

    public boolean isClosed() {
        return lifetime.isClosed();
    }

    /** A session's hold on the adapter (refused once closed); the engine's adapter for the session's engine. */
    AdapterEngine retain() {
        lifetime.retain();
        return engine;
    }

    void release() {
        lifetime.release();
    }

    @Override
    public String toString() {
        return "LoraAdapter[" + path + ", rank " + info.rank() + ", alpha " + info.alpha() + ", " + info.nMatrices() + " matrices"
                + (lifetime.isClosed() ? ", closed" : "") + "]";
    }
}
