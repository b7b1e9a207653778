package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.util.Objects;

/**
 * How to make a session ({@code gpt2_session_params}).
 *
 * @param nCells            KV cells shared by all sequences (one per token kept), at most {@value #MAX_CELLS};
 *                          0: the model's n_ctx_train
 * @param nSeqMax           sequences, ids {@code 0 .. nSeqMax-1}, 1..{@value #MAX_SEQUENCES}
 * @param nBatch            most tokens in one eval, at most nCells; 0: min(nCells, 512)
 * @param threads           CPU threads, 1..{@value ModelParams#MAX_THREADS}; 0: the model's
 * @param kvType            type of the KV cache: {@link TensorType#F32} (exact) or {@link TensorType#F16}
 * @param captureAttention  keep the attention probabilities of the last eval ({@link Session#attention})
 * @param captureHidden     keep the hidden states of the last eval ({@link Session#hidden})
 * @param flashAttn         libgpt2 fuses the attention (ggml_flash_attn_ext): the same logits (within 1e-5
 *                          with an F32 cache), faster, and the tokens of each sequence read only the span
 *                          of cells that holds it (libgpt2 keeps each sequence's cells together), which
 *                          helps beams and many sequences at once; not with captureAttention, whose
 *                          probabilities it never forms;
 *                          libgpt2 on the CPU only (a GPU model refuses it). The Java engine computes as
 *                          without it.
 * @param matmul            whose kernels compute the matrix products of 1 to 64 columns (decode steps of 1 to 64
 *                          sequences): {@link MatMul#AUTO} (the default: libgpt2's on the CPU, ggml's elsewhere),
 *                          {@link MatMul#GGML} (llama.cpp's) or {@link MatMul#LIBGPT2} (libgpt2 on the CPU only).
 *                          A native session's {@link Session#params()} gives AUTO resolved. The Java engine computes
 *                          with its own either way.
 */
public record SessionParams(int nCells, int nSeqMax, int nBatch, int threads, TensorType kvType,
                            boolean captureAttention, boolean captureHidden, boolean flashAttn, MatMul matmul) {

    /** The most KV cells a session may hold, on both engines (libgpt2's bound). */
    public static final int MAX_CELLS = 1 << 20;

    /** The most sequences a session may hold, on both engines (libgpt2's bound). */
    public static final int MAX_SEQUENCES = 256;

    public SessionParams {
        Checks.inRange("nCells (0: the model's n_ctx_train)", nCells, 0, MAX_CELLS);
        Checks.inRange("nSeqMax", nSeqMax, 1, MAX_SEQUENCES);
        Checks.require(nBatch >= 0, "nBatch must be >= 0 (0: min(nCells, 512)), was " + nBatch);
        Checks.require(nCells == 0 || nBatch <= nCells,
                "nBatch must be <= nCells (" + nCells + "), was " + nBatch);
        Checks.inRange("threads (0: the model's)", threads, 0, ModelParams.MAX_THREADS);
        Objects.requireNonNull(kvType, "kvType");
        Checks.require(kvType == TensorType.F32 || kvType == TensorType.F16,
                "kvType must be F32 or F16, was " + kvType);
        Objects.requireNonNull(matmul, "matmul");
        Checks.require(!(flashAttn && captureAttention),
                "flashAttn never forms the attention probabilities captureAttention keeps: set one of them");
    }

    /**
     * libgpt2's defaults: nCells = n_ctx_train, 1 sequence, nBatch min(nCells, 512), F32 cache, no capture, no
     * flash attention, matrix products {@link MatMul#AUTO} (libgpt2's kernels on the CPU).
     */
    public static SessionParams defaults() {
        return new SessionParams(0, 1, 0, 0, TensorType.F32, false, false, false, MatMul.AUTO);
    }

    /** These parameters without {@code matmul}: libgpt2's default there ({@link MatMul#AUTO}). */
    public SessionParams(int nCells, int nSeqMax, int nBatch, int threads, TensorType kvType,
                         boolean captureAttention, boolean captureHidden, boolean flashAttn) {
        this(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, MatMul.AUTO);
    }

    public SessionParams withNCells(int nCells) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withNSeqMax(int nSeqMax) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withNBatch(int nBatch) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withThreads(int threads) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withKvType(TensorType kvType) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withCaptureAttention(boolean captureAttention) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withCaptureHidden(boolean captureHidden) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withFlashAttn(boolean flashAttn) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }

    public SessionParams withMatMul(MatMul matmul) {
        return new SessionParams(nCells, nSeqMax, nBatch, threads, kvType, captureAttention, captureHidden, flashAttn, matmul);
    }
}
