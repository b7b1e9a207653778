package dev.gpt2java;

/**
 * Which engine computes a model: {@link ModelParams#engine()}. Both sit behind the same
 * {@link Gpt2Model} and {@link Session} API.
 */
public enum Engine {
    /** libgpt2 on ggml (CPU, CUDA or Metal: {@link ModelParams#backend()}). */
    NATIVE,
    /**
     * The pure-Java engine (artifact {@code gpt2-java-engine-java}, module {@code dev.gpt2java.jvm}, found
     * by ServiceLoader): CPU only, F32 KV cache, the exact (tanh) GELU.
     * What it cannot do throws {@link UnsupportedOperationException}: a {@link Backend} other than
     * AUTO or CPU, {@link Gelu#FAST}, an F16 KV cache.
     */
    JAVA;

    /** The Maven artifact (and module) that holds the engine. */
    public String artifact() {
        return switch (this) {
            case NATIVE -> "dev.gpt2java:gpt2-java and its platform jar";
            case JAVA -> "dev.gpt2java:gpt2-java-engine-java (module dev.gpt2java.jvm)";
        };
    }

    /** {@code "native"} or {@code "java"} (any case) to the constant; IllegalArgumentException otherwise. */
    public static Engine parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "native" -> NATIVE;
            case "java", "jvm" -> JAVA;
            default -> throw new IllegalArgumentException("unknown engine '" + s + "' (native or java)");
        };
    }
}
