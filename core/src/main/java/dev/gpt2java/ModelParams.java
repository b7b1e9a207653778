package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to load a model ({@code gpt2_model_params}, and the engine).
 *
 * @param threads CPU threads for compute, 1..{@value #MAX_THREADS}; 0: one per physical core (native)
 *                or per available processor (Java); capped to the available processors
 * @param backend where the native engine computes (the Java engine: AUTO or CPU only)
 * @param mmap    CPU backend: map the weights from the file instead of copying them (the Java engine
 *                always maps them)
 * @param gelu    the GELU of the sessions of this model (the Java engine: EXACT only)
 * @param engine  which engine computes: {@link Engine#NATIVE} (libgpt2) or {@link Engine#JAVA}
 * @param extraBufferTypes native CPU backend: place each matrix that one of ggml's extra CPU buffer types
 *                computes (repacked layouts such as Q4_0 8x8 on AVX2, AMX tiles) in it, as llama.cpp
 *                does (a repacked copy); false keeps ggml's plain layout (llama.cpp's --no-repack). The
 *                Java engine ignores it.
 * @param adapters LoRA adapter files loaded with the model, which every session of it applies at their
 *                scales ({@link Gpt2Model#defaultAdapters()}, {@link Session#setAdapters}); a session may
 *                change them. Empty: none.
 */
public record ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu, Engine engine, boolean extraBufferTypes,
                         List<Adapter> adapters) {

    /**
     * A LoRA adapter file ({@link LoraAdapter}) and the scale sessions apply it at (1: as merged).
     *
     * @param path  the adapter GGUF
     * @param scale finite
     */
    public record Adapter(Path path, float scale) {
        public Adapter {
            Objects.requireNonNull(path, "path");
            if (!Float.isFinite(scale)) {
                throw new IllegalArgumentException("adapter scale must be finite, was " + scale);
            }
        }
    }

    /**
     * The most threads a model or session may be given (ggml's GGML_MAX_N_THREADS). Both engines use
     * at most as many as this process has CPUs ({@code availableProcessors()}): more only wait on each
     * other. See the README's thread contract.
     */
    public static final int MAX_THREADS = 512;

    public ModelParams {
        Checks.inRange("threads (0: one per physical core)", threads, 0, MAX_THREADS);
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(gelu, "gelu");
        Objects.requireNonNull(engine, "engine");
        adapters = List.copyOf(adapters);
        if (adapters.size() > Session.MAX_ADAPTERS) {
            throw new IllegalArgumentException("at most " + Session.MAX_ADAPTERS + " adapters, got " + adapters.size());
        }
    }

    /** These settings, without adapters. */
    public ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu, Engine engine, boolean extraBufferTypes) {
        this(threads, backend, mmap, gelu, engine, extraBufferTypes, List.of());
    }

    /** These settings, with ggml's extra buffer types where the CPU has them. */
    public ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu, Engine engine) {
        this(threads, backend, mmap, gelu, engine, true);
    }

    /** The native engine with these settings. */
    public ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu) {
        this(threads, backend, mmap, gelu, Engine.NATIVE);
    }

    /**
     * libgpt2's defaults: threads 0 (physical cores), backend AUTO, mmap on, GELU EXACT, extra buffer types
     * on, no adapters; the native engine.
     */
    public static ModelParams defaults() {
        return new ModelParams(0, Backend.AUTO, true, Gelu.EXACT, Engine.NATIVE, true, List.of());
    }

    public ModelParams withThreads(int threads) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    public ModelParams withBackend(Backend backend) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    public ModelParams withMmap(boolean mmap) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    public ModelParams withGelu(Gelu gelu) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    public ModelParams withEngine(Engine engine) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    public ModelParams withExtraBufferTypes(boolean extraBufferTypes) {
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, adapters);
    }

    /** These settings with one more LoRA adapter, applied at {@code scale} by every session. */
    public ModelParams withAdapter(Path path, float scale) {
        List<Adapter> more = new ArrayList<>(adapters);
        more.add(new Adapter(path, scale));
        return new ModelParams(threads, backend, mmap, gelu, engine, extraBufferTypes, more);
    }
}
