package dev.gpt2java;

import java.util.Objects;

/**
 * How to load a model ({@code gpt2_model_params}).
 *
 * @param threads CPU threads for compute, 1..{@value #MAX_THREADS}; 0: one per physical core
 * @param backend where to compute
 * @param mmap    CPU backend: map the weights from the file instead of copying them
 * @param gelu    the GELU of the sessions of this model
 */
public record ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu) {

    /** The most threads a model or session may be given. */
    public static final int MAX_THREADS = 1024;

    public ModelParams {
        Checks.inRange("threads (0: one per physical core)", threads, 0, MAX_THREADS);
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(gelu, "gelu");
    }

    /** libgpt2's defaults: threads 0 (physical cores), backend AUTO, mmap on, GELU EXACT. */
    public static ModelParams defaults() {
        return new ModelParams(0, Backend.AUTO, true, Gelu.EXACT);
    }

    public ModelParams withThreads(int threads) {
        return new ModelParams(threads, backend, mmap, gelu);
    }

    public ModelParams withBackend(Backend backend) {
        return new ModelParams(threads, backend, mmap, gelu);
    }

    public ModelParams withMmap(boolean mmap) {
        return new ModelParams(threads, backend, mmap, gelu);
    }

    public ModelParams withGelu(Gelu gelu) {
        return new ModelParams(threads, backend, mmap, gelu);
    }
}
