package dev.gpt2java;

/**
 * The shape of a GPT-2: what its hyper-parameters make of it. The one description of a model's
 * architecture, used by both engines ({@link ModelInfo#shape()}), the converter and the trainer.
 *
 * @param nVocab  tokens in the vocabulary (rows of {@code wte})
 * @param nCtx    learned positions (rows of {@code wpe}): a sequence holds at most this many tokens
 * @param nEmbd   width of the residual stream
 * @param nHead   attention heads per layer; divides nEmbd
 * @param nLayer  transformer blocks
 * @param nFf     width of the feed-forward layer (4 × nEmbd for GPT-2)
 * @param normEps LayerNorm epsilon (1e-5 for GPT-2)
 */
public record ModelShape(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer, int nFf, float normEps) {

    /** GPT-2's own vocabulary size (50,000 merges + 256 bytes + {@code <|endoftext|>}). */
    public static final int GPT2_VOCAB = 50257;

    /** GPT-2's LayerNorm epsilon. */
    public static final float GPT2_NORM_EPS = 1e-5f;

    public ModelShape {
        require(nVocab >= 1, "nVocab must be >= 1, was " + nVocab);
        require(nCtx >= 1, "nCtx must be >= 1, was " + nCtx);
        require(nEmbd >= 1, "nEmbd must be >= 1, was " + nEmbd);
        require(nHead >= 1 && nEmbd % nHead == 0, "nHead must divide nEmbd (" + nEmbd + "), was " + nHead);
        require(nLayer >= 1, "nLayer must be >= 1, was " + nLayer);
        require(nFf >= 1, "nFf must be >= 1, was " + nFf);
        require(Float.isFinite(normEps) && normEps > 0, "normEps must be finite and > 0, was " + normEps);
    }

    /** GPT-2's shape for these sizes: feed-forward 4 × nEmbd, LayerNorm epsilon 1e-5. */
    public ModelShape(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer) {
        this(nVocab, nCtx, nEmbd, nHead, nLayer, 4 * nEmbd, GPT2_NORM_EPS);
    }

    /** Width of one attention head. */
    public int headDim() {
        return nEmbd / nHead;
    }

    /**
     * Parameters, counted as GPT-2's checkpoints do: embeddings ({@code wte}, {@code wpe}), per block two
     * LayerNorms, the attention's QKV and output projections and the MLP's two matrices (weights and
     * biases), the final LayerNorm, and an output matrix of its own unless it is tied to {@code wte}.
     */
    public long nParams(boolean outputTied) {
        long e = nEmbd, f = nFf;
        long block = 2 * (2 * e)            // ln_1, ln_2: weight + bias
                + e * 3 * e + 3 * e         // attn.c_attn
                + e * e + e                 // attn.c_proj
                + e * f + f                 // mlp.c_fc
                + f * e + e;                // mlp.c_proj
        return (long) nVocab * e + (long) nCtx * e + nLayer * block + 2 * e + (outputTied ? 0 : (long) nVocab * e);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
