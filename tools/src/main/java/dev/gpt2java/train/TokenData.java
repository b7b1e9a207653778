package dev.gpt2java.train;

import java.util.SplittableRandom;

/**
 * A tokenized corpus split into training and validation tokens: the token stream is cut into blocks of
 * {@code blockTokens}, and every {@code valEvery}-th block (the last of each group) is held out. Training
 * batches are windows at random offsets drawn from a generator seeded by (seed, step), so the batch of a
 * step does not depend on what ran before it and a resumed run sees the same data. Validation uses a
 * fixed set of windows.
 */
final class TokenData {

    final int[] train;
    final int[] val;
    private final long seed;

    TokenData(int[] tokens, int blockTokens, int valEvery, long seed) {
        if (blockTokens < 2 || valEvery < 2) {
            throw new IllegalArgumentException("block of " + blockTokens + " tokens, one in " + valEvery + " held out");
        }
        int blocks = (tokens.length + blockTokens - 1) / blockTokens;
        int nVal = 0;
        for (int b = 0; b < blocks; b++) {
            if (isValBlock(b, valEvery)) {
                nVal += Math.min(blockTokens, tokens.length - b * blockTokens);
            }
        }
        train = new int[tokens.length - nVal];
        val = new int[nVal];
        int t = 0, v = 0;
        for (int b = 0; b < blocks; b++) {
            int from = b * blockTokens, len = Math.min(blockTokens, tokens.length - from);
            if (isValBlock(b, valEvery)) {
                System.arraycopy(tokens, from, val, v, len);
                v += len;
            } else {
                System.arraycopy(tokens, from, train, t, len);
                t += len;
            }
        }
        this.seed = seed;
    }

    static boolean isValBlock(int block, int valEvery) {
        return block % valEvery == valEvery - 1;
    }

    /** Inputs (B·T tokens) and targets (the next token of each) for training step {@code step}. */
    int[][] trainBatch(int step, int batch, int seqLen) {
        requireWindow(train, seqLen, "training");
        SplittableRandom rnd = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1)));
        int[] in = new int[batch * seqLen], out = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int off = rnd.nextInt(train.length - seqLen);
            System.arraycopy(train, off, in, b * seqLen, seqLen);
            System.arraycopy(train, off + 1, out, b * seqLen, seqLen);
        }
        return new int[][] {in, out};
    }

    /** Validation batch {@code i} of {@link #valBatches}: consecutive non-overlapping windows. */
    int[][] valBatch(int i, int batch, int seqLen) {
        int[] in = new int[batch * seqLen], out = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int off = (i * batch + b) * seqLen;
            System.arraycopy(val, off, in, b * seqLen, seqLen);
            System.arraycopy(val, off + 1, out, b * seqLen, seqLen);
        }
        return new int[][] {in, out};
    }

    /** How many whole validation batches the held-out tokens give, at most {@code max}. */
    int valBatches(int batch, int seqLen, int max) {
        return Math.min(max, (val.length - 1) / (batch * seqLen));
    }

    private static void requireWindow(int[] tokens, int seqLen, String what) {
        if (tokens.length <= seqLen + 1) {
            throw new IllegalArgumentException("the " + what + " split has " + tokens.length
                    + " tokens, too few for windows of " + seqLen);
        }
    }
}
