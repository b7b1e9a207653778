/**
 * The FFM binding of libgpt2's headers, in the shape jextract generates: {@link dev.gpt2java.internal.ffi.gpt2_h}
 * holds the functions and constants of {@code gpt2.h} (inference), {@link dev.gpt2java.internal.ffi.gpt2_train_h}
 * those of {@code gpt2-train.h} (training's loss and gradient), one class per struct holds its layout and
 * accessors.
 * Exported to {@code dev.gpt2java} and {@code dev.gpt2java.tools} only; {@code AbiTest} checks it against the
 * headers with the C compiler.
 */
package dev.gpt2java.internal.ffi;
