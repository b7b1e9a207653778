/**
 * The pure-Java GPT-2 engine: the same {@link dev.gpt2java.Gpt2Model} and {@link dev.gpt2java.Session} API
 * as libgpt2, computed on the CPU with the Vector API ({@code jdk.incubator.vector}, the only module of
 * gpt2-java that requires it). On the path, it is what {@code ModelParams.withEngine(Engine.JAVA)} loads.
 */
module dev.gpt2java.jvm {
    requires transitive dev.gpt2java;
    requires dev.gpt2java.gguf;
    requires jdk.incubator.vector;

    // the kernels' exact vector math, shared with the trainer
    exports dev.gpt2java.jvm to dev.gpt2java.tools;

    provides dev.gpt2java.spi.EngineProvider with dev.gpt2java.jvm.JavaEngineProvider;
}
