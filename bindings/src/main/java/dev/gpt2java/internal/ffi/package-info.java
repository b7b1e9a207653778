/**
 * The FFM binding of {@code gpt2.h}, in the shape jextract generates: {@link dev.gpt2java.internal.ffi.gpt2_h}
 * holds the functions and constants, one class per struct holds its layout and accessors.
 * Exported to {@code dev.gpt2java} only; {@code AbiTest} checks it against the header with the C compiler.
 */
package dev.gpt2java.internal.ffi;
