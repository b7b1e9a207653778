package dev.gpt2java.train;

import dev.gpt2java.ModelParams;
import dev.gpt2java.internal.Checks;

/**
 * The shape of a {@link NativeGradient}: a GPT-2 and the batch it is trained on ({@code gpt2_grad_params}).
 *
 * @param nVocab  tokens, 2 .. 2^20
 * @param nCtx    learned positions, >= 1
 * @param nEmbd   width, a positive multiple of nHead
 * @param nHead   attention heads, >= 1
 * @param nLayer  blocks, >= 1
 * @param batch   sequences per batch, >= 1
 * @param seqLen  tokens per sequence, 1 .. nCtx
 * @param threads CPU threads, 0 .. {@value ModelParams#MAX_THREADS}; 0: the machine's hardware threads
 */
public record GradientParams(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer, int batch, int seqLen,
                             int threads) {

    public GradientParams {
        Checks.inRange("nVocab", nVocab, 2, 1 << 20);
        Checks.inRange("nCtx", nCtx, 1, 1 << 16);
        Checks.require(nHead >= 1 && nEmbd >= 1 && nEmbd % nHead == 0 && nEmbd <= 1 << 16,
                "nEmbd (" + nEmbd + ") must be a positive multiple of nHead (" + nHead + "), at most 65536");
        Checks.inRange("nLayer", nLayer, 1, 1024);
        Checks.inRange("seqLen", seqLen, 1, nCtx);
        Checks.require(batch >= 1 && (long) batch * seqLen <= 1 << 20,
                "batch × seqLen must be in [1, 2^20] tokens, was " + batch + " × " + seqLen);
        Checks.require((long) batch * seqLen * nVocab <= 1L << 31,
                "batch × seqLen × nVocab logits must be at most 2^31, was " + (long) batch * seqLen * nVocab);
        Checks.inRange("threads (0: the machine's hardware threads)", threads, 0, ModelParams.MAX_THREADS);
    }
}
