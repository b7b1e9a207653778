package dev.gpt2java.train;

/**
 * The shape of a GPT-2 to train: vocabulary, context length (positions), width, heads and layers.
 * The feed-forward width is GPT-2's 4 × n_embd.
 */
public record ModelShape(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer) {

    /** GPT-2's own vocabulary size (50,000 merges + 256 bytes + {@code <|endoftext|>}). */
    public static final int GPT2_VOCAB = 50257;

    public ModelShape {
        require(nVocab >= 2, "nVocab must be >= 2, was " + nVocab);
        require(nCtx >= 1 && nCtx <= 1 << 16, "nCtx must be in [1, 65536], was " + nCtx);
        require(nEmbd >= 1, "nEmbd must be >= 1, was " + nEmbd);
        require(nHead >= 1 && nEmbd % nHead == 0, "nHead must divide nEmbd (" + nEmbd + "), was " + nHead);
        require(nLayer >= 1, "nLayer must be >= 1, was " + nLayer);
        long params = (long) nVocab * nEmbd + (long) nCtx * nEmbd + 12L * nLayer * nEmbd * nEmbd + 13L * nLayer * nEmbd
                + 2L * nEmbd;
        require(params < Integer.MAX_VALUE - 64, "a model of " + params + " parameters is beyond this trainer (2^31)");
    }

    /** Feed-forward width, 4 × n_embd. */
    public int nFf() {
        return 4 * nEmbd;
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
