/**
 * GGUF, llama.cpp's model file format, in plain Java: {@link dev.gpt2java.gguf.GgufFile} reads a file
 * (memory-mapped tensors), {@link dev.gpt2java.gguf.GgufWriter} writes one, {@link dev.gpt2java.gguf.GgmlType}
 * knows each tensor type's block geometry. Used by the pure-Java engine, the converter and the trainer;
 * the native engine reads GGUF in libgpt2.
 */
module dev.gpt2java.gguf {
    exports dev.gpt2java.gguf;
}
