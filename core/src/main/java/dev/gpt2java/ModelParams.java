package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to load a model ({@code gpt2_model_params}, and the engine).
 *
 * @param threads CPU threads for compute, 1..{@value #MAX_THREADS}; 0: one per physical core (native)
 *                or per available processor (Java)
 * @param backend where the native engine computes (the Java engine: AUTO or CPU only)
 * @param mmap    CPU backend: map the weights from the file instead of copying them (the Java engine
 *                always maps them)
 * @param gelu    the GELU of the sessions of this model (the Java engine: EXACT only)
 * @param engine  which engine computes: {@link Engine#NATIVE} (libgpt2) or {@link Engine#JAVA}
 */
public record ModelParams(int threads, Backend backend, boolean mmap, Gelu gelu, Engine engine) {

    /** The most threads a model or session may be given. */
    public static final int MAX_THREADS = 1024;

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

    // one component changed, the rest kept (and the whole validated again)
    public ModelParams withThreads(int threads) { return with(c -> c.threads = threads); }
    public ModelParams withBackend(Backend backend) { return with(c -> c.backend = backend); }
    public ModelParams withMmap(boolean mmap) { return with(c -> c.mmap = mmap); }
    public ModelParams withGelu(Gelu gelu) { return with(c -> c.gelu = gelu); }
    public ModelParams withEngine(Engine engine) { return with(c -> c.engine = engine); }

    /** These parameters with {@code change} made to a copy of them, validated as new ones. */
    private ModelParams with(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new ModelParams(c.threads, c.backend, c.mmap, c.gelu, c.engine);
    }

    /** The components, to change before {@link #with} builds new parameters from them. */
    private final class Copy {
        int threads = ModelParams.this.threads;
        Backend backend = ModelParams.this.backend;
        boolean mmap = ModelParams.this.mmap;
        Gelu gelu = ModelParams.this.gelu;
        Engine engine = ModelParams.this.engine;
    }
}
