/**
 * GPT-2 inference for Java: {@link dev.gpt2java.Gpt2Model} loads a GGUF file, {@link dev.gpt2java.Session}
 * evaluates tokens on it. The compute runs in the native library libgpt2 (ggml), called through the
 * FFM API: run with {@code --enable-native-access=dev.gpt2java.ffi,dev.gpt2java} (or
 * {@code ALL-UNNAMED} on the class path). The pure-Java engine is another artifact
 * ({@code gpt2-java-engine-java}), found through {@link dev.gpt2java.spi.EngineProvider}.
 */
module dev.gpt2java {
    requires dev.gpt2java.ffi;

    exports dev.gpt2java;
    exports dev.gpt2java.tokenizer;
    exports dev.gpt2java.sampling;
    exports dev.gpt2java.search;
    exports dev.gpt2java.inspect;
    exports dev.gpt2java.batching;

    // the engine seam and the shared internals: for this project's other modules only
    exports dev.gpt2java.spi to dev.gpt2java.jvm;
    exports dev.gpt2java.internal to dev.gpt2java.jvm, dev.gpt2java.tools;

    uses dev.gpt2java.spi.EngineProvider;
}
