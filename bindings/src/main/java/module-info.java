/**
 * The Panama (FFM) binding of libgpt2's C API, {@code native/include/gpt2.h} and {@code gpt2-train.h}:
 * internal to gpt2-java.
 * Applications use the {@code dev.gpt2java} module instead.
 */
module dev.gpt2java.ffi {
    exports dev.gpt2java.internal.ffi to dev.gpt2java, dev.gpt2java.tools;
}
