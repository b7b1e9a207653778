package dev.gpt2java;

import dev.gpt2java.internal.Checks;
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
 */
public record ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu, Engine engine) {

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
    }

    /** The native engine with these settings. */
    public ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu) {
        this(threads, backend, mmap, gelu, Engine.NATIVE);
    }

    /** libgpt2's defaults: threads 0 (physical cores), backend AUTO, mmap on, GELU EXACT; the native engine. */
    public static ModelParams defaults() {
        return new ModelParams(0, Backend.AUTO, true, Gelu.EXACT, Engine.NATIVE);
    }

    public ModelParams withThreads(int threads) {
        return new ModelParams(threads, backend, mmap, gelu, engine);
    }

    public ModelParams withBackend(Backend backend) {
        return new ModelParams(threads, backend, mmap, gelu, engine);
    }

    public ModelParams withMmap(boolean mmap) {
        return new ModelParams(threads, backend, mmap, gelu, engine);
    }

    public ModelParams withGelu(Gelu gelu) {
        return new ModelParams(threads, backend, mmap, gelu, engine);
    }

    public ModelParams withEngine(Engine engine) {
        return new ModelParams(threads, backend, mmap, gelu, engine);
    }
}
