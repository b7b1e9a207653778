package dev.gpt2java.train;

import dev.gpt2java.ModelParams;
import dev.gpt2java.ModelShape;
import dev.gpt2java.internal.Checks;

import java.util.Objects;

/**
 * The shape of a {@link NativeGradient}: a GPT-2 and the batch it is trained on ({@code gpt2_grad_params}).
 *
 * @param shape   the GPT-2: vocabulary 2 .. 2^20, at most 65,536 positions and width, 1,024 layers; GPT-2's
 *                feed-forward width (4 × nEmbd) and LayerNorm epsilon (1e-5), which libgpt2's training graph builds
 * @param batch   sequences per batch, >= 1
 * @param seqLen  tokens per sequence, 1 .. shape.nCtx
 * @param threads CPU threads, 0 .. {@value ModelParams#MAX_THREADS}; 0: the machine's hardware threads
 */
public record GradientParams(ModelShape shape, int batch, int seqLen, int threads) {

    public GradientParams {
        Objects.requireNonNull(shape, "shape");
        Checks.inRange("nVocab", shape.nVocab(), 2, 1 << 20);
        Checks.inRange("nCtx", shape.nCtx(), 1, 1 << 16);
        Checks.inRange("nEmbd", shape.nEmbd(), 1, 1 << 16);
        Checks.inRange("nLayer", shape.nLayer(), 1, 1024);
        Checks.require(shape.nFf() == 4 * shape.nEmbd() && shape.normEps() == ModelShape.GPT2_NORM_EPS,
                "libgpt2 trains GPT-2's feed-forward width 4 × nEmbd and LayerNorm epsilon 1e-5, not " + shape);
        Checks.inRange("seqLen", seqLen, 1, shape.nCtx());
        Checks.require(batch >= 1 && (long) batch * seqLen <= 1 << 20,
                "batch × seqLen must be in [1, 2^20] tokens, was " + batch + " × " + seqLen);
        Checks.require((long) batch * seqLen * shape.nVocab() <= 1L << 31,
                "batch × seqLen × nVocab logits must be at most 2^31, was " + (long) batch * seqLen * shape.nVocab());
        Checks.inRange("threads (0: the machine's hardware threads)", threads, 0, ModelParams.MAX_THREADS);
    }
}
