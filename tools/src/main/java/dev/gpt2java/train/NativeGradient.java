package dev.gpt2java.train;

import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Status;
import dev.gpt2java.ModelShape;
import dev.gpt2java.internal.Checks;
import dev.gpt2java.internal.Lifetime;
import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.NativeLibrary;
import dev.gpt2java.internal.ffi.gpt2_grad_params;
import dev.gpt2java.internal.ffi.gpt2_train_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The training loss of a GPT-2 and its gradient, computed by libgpt2 ({@code gpt2_grad_*}: ggml's
 * automatic differentiation, on the CPU): for a batch of {@code batch} sequences of {@code seqLen}
 * tokens, the mean next-token cross-entropy of Hugging Face's {@code GPT2LMHeadModel} (tanh GELU,
 * LayerNorm eps 1e-5, output tied to the token embeddings) and its gradient with respect to every
 * parameter. The optimizer is the caller's.
 *
 * <p>Parameters and gradients are flat {@code float[]}s of {@link #parameterCount()} values: the
 * tensors in GGUF order (token_embd, position_embd, each block's attn_norm, attn_qkv, attn_output,
 * ffn_norm, ffn_up, ffn_down weights and biases, output_norm), each row-major in ggml's layout (a
 * matrix is [out][in]), as {@code gpt2-train.h} documents. The graph, the activations and the gradients
 * are allocated once, when this is made. Methods are synchronized; close releases the native memory.
 *
 * <pre>{@code
 * try (var g = NativeGradient.create(new GradientParams(new ModelShape(50257, 256, 128, 4, 6), 8, 256, 0))) {
 *     float[] params = ..., grads = new float[(int) g.parameterCount()];
 *     float loss = g.compute(params, inputs, targets, grads);
 * }
 * }</pre>
 */
public final class NativeGradient implements AutoCloseable {

    private final GradientParams params;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final long count;
    private final MemorySegment paramSeg, gradSeg, inputSeg, targetSeg, lossSeg;
    /** Frees the graph and the buffers; methods are synchronized, so close waits for a compute in flight. */
    private final Lifetime lifetime;

    private NativeGradient(GradientParams p) {
        this.params = p;
        NativeLibrary.ensureLoaded();
        MemorySegment gp = gpt2_grad_params.allocate(arena);
        gpt2_grad_params.n_vocab(gp, p.shape().nVocab());
        gpt2_grad_params.n_ctx(gp, p.shape().nCtx());
        gpt2_grad_params.n_embd(gp, p.shape().nEmbd());
        gpt2_grad_params.n_head(gp, p.shape().nHead());
        gpt2_grad_params.n_layer(gp, p.shape().nLayer());
        gpt2_grad_params.n_batch(gp, p.batch());
        gpt2_grad_params.n_seq(gp, p.seqLen());
        gpt2_grad_params.n_threads(gp, p.threads());
        MemorySegment h = gpt2_train_h.gpt2_grad_new(gp);
        if (h.equals(MemorySegment.NULL)) {
            Status st = Native.lastStatus();
            String msg = Native.lastError();
            arena.close();
            throw new Gpt2Exception(st, msg);
        }
        this.handle = h;
        this.lifetime = new Lifetime("NativeGradient", () -> {
            gpt2_train_h.gpt2_grad_free(h);
            arena.close();
        });
        this.count = gpt2_train_h.gpt2_grad_n_params(h);
        if (count > Integer.MAX_VALUE - 8) {
            lifetime.close();
            throw new IllegalArgumentException(count + " parameters do not fit a Java array");
        }
        long tokens = (long) p.batch() * p.seqLen();
        paramSeg = arena.allocate(ValueLayout.JAVA_FLOAT, count);
        gradSeg = arena.allocate(ValueLayout.JAVA_FLOAT, count);
        inputSeg = arena.allocate(ValueLayout.JAVA_INT, tokens);
        targetSeg = arena.allocate(ValueLayout.JAVA_INT, tokens);
        lossSeg = arena.allocate(ValueLayout.JAVA_FLOAT);
    }

    /**
     * Builds the graph and allocates its memory.
     *
     * @throws Gpt2Exception        if libgpt2 refuses the shape or cannot allocate it
     * @throws UnsatisfiedLinkError if libgpt2 cannot be loaded
     */
    public static NativeGradient create(GradientParams params) {
        return new NativeGradient(Objects.requireNonNull(params, "params"));
    }

    public GradientParams params() {
        return params;
    }

    /** The number of floats in the parameter and gradient arrays. */
    public long parameterCount() {
        return count;
    }

    /**
     * The mean cross-entropy of predicting {@code targets[i]} after {@code inputs} up to i (sequence by
     * sequence, {@code batch × seqLen} tokens); with {@code grads} not null, its gradient is written there
     * (overwritten).
     *
     * @throws IllegalArgumentException if an array has the wrong length or a token id is out of range
     * @throws IllegalStateException    if closed
     */
    public synchronized float compute(float[] params, int[] inputs, int[] targets, float[] grads) {
        lifetime.ensureOpen();
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        int tokens = this.params.batch() * this.params.seqLen();
        Checks.require(params.length == count, "params has " + params.length + " values, expected " + count);
        Checks.require(grads == null || grads.length == count, "grads has " + (grads == null ? 0 : grads.length)
                + " values, expected " + count);
        Checks.require(inputs.length == tokens && targets.length == tokens, "inputs and targets must have "
                + this.params.batch() + " × " + this.params.seqLen() + " tokens, had " + inputs.length + " and "
                + targets.length);
        for (int i = 0; i < tokens; i++) {
            Checks.inRange("input token id", inputs[i], 0, this.params.shape().nVocab() - 1);
            Checks.inRange("target token id", targets[i], 0, this.params.shape().nVocab() - 1);
        }
        MemorySegment.copy(params, 0, paramSeg, ValueLayout.JAVA_FLOAT, 0, params.length);
        MemorySegment.copy(inputs, 0, inputSeg, ValueLayout.JAVA_INT, 0, tokens);
        MemorySegment.copy(targets, 0, targetSeg, ValueLayout.JAVA_INT, 0, tokens);
        Native.check(gpt2_train_h.gpt2_grad_compute(handle, paramSeg, inputSeg, targetSeg,
                grads == null ? MemorySegment.NULL : gradSeg, lossSeg));
        if (grads != null) {
            MemorySegment.copy(gradSeg, ValueLayout.JAVA_FLOAT, 0, grads, 0, grads.length);
        }
        return lossSeg.get(ValueLayout.JAVA_FLOAT, 0);
    }

    @Override
    public synchronized void close() {
        lifetime.close();
    }
}
