package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.util.Arrays;

/**
 * Tokens to evaluate in one {@link Session#eval(Batch)}: each goes to one sequence, and may ask for
 * its logits. Within a sequence, tokens are appended in batch order. Immutable.
 *
 * <pre>{@code
 * Batch b = Batch.builder()
 *         .add(0, prompt0)        // sequence 0, logits for its last token
 *         .add(1, prompt1)        // sequence 1, likewise
 *         .build();
 * }</pre>
 */
public final class Batch {

    private final int[] tokens;
    private final int[] seqIds;
    private final boolean[] logits;
    private final int nOutputs;

    private Batch(int[] tokens, int[] seqIds, boolean[] logits) {
        this.tokens = tokens;
        this.seqIds = seqIds;
        this.logits = logits;
        int n = 0;
        for (boolean l : logits) {
            n += l ? 1 : 0;
        }
        this.nOutputs = n;
    }

    /** Tokens of one sequence, with logits for the last one. */
    public static Batch of(int seqId, int... tokens) {
        return builder().add(seqId, tokens).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of tokens. */
    public int size() {
        return tokens.length;
    }

    public int token(int i) {
        return tokens[Checks.index("batch index", i, tokens.length)];
    }

    public int seqId(int i) {
        return seqIds[Checks.index("batch index", i, tokens.length)];
    }

    /** Whether logits are computed at token {@code i}. */
    public boolean wantsLogits(int i) {
        return logits[Checks.index("batch index", i, tokens.length)];
    }

    /** Number of tokens that want logits: the rows of the eval's output. */
    public int nOutputs() {
        return nOutputs;
    }

    int[] tokensArray() {
        return tokens;
    }

    int[] seqIdsArray() {
        return seqIds;
    }

    boolean[] logitsArray() {
        return logits;
    }

    @Override
    public String toString() {
        return "Batch[tokens=" + Arrays.toString(tokens) + ", seqIds=" + Arrays.toString(seqIds)
                + ", logits=" + Arrays.toString(logits) + "]";
    }

    /** Collects the tokens of a {@link Batch}. */
    public static final class Builder {

        private int[] tokens = new int[16];
        private int[] seqIds = new int[16];
        private boolean[] logits = new boolean[16];
        private int n;

        private Builder() {
        }

        /** One token for sequence {@code seqId}; {@code wantLogits}: compute logits at it. */
        public Builder add(int token, int seqId, boolean wantLogits) {
            Checks.require(token >= 0, "token id must be >= 0, was " + token);
            Checks.require(seqId >= 0, "sequence id must be >= 0, was " + seqId);
            if (n == tokens.length) {
                int cap = Math.max(16, n * 2);
                tokens = Arrays.copyOf(tokens, cap);
                seqIds = Arrays.copyOf(seqIds, cap);
                logits = Arrays.copyOf(logits, cap);
            }
            tokens[n] = token;
            seqIds[n] = seqId;
            logits[n] = wantLogits;
            n++;
            return this;
        }

        /** Tokens for sequence {@code seqId}, with logits for the last one only. */
        public Builder add(int seqId, int... tokens) {
            Checks.require(tokens.length > 0, "no tokens given for sequence " + seqId);
            for (int i = 0; i < tokens.length; i++) {
                add(tokens[i], seqId, i == tokens.length - 1);
            }
            return this;
        }

        /** Tokens for sequence {@code seqId}, with logits for every one of them. */
        public Builder addAllLogits(int seqId, int... tokens) {
            for (int t : tokens) {
                add(t, seqId, true);
            }
            return this;
        }

        /** The batch; at least one token. */
        public Batch build() {
            Checks.require(n > 0, "a batch needs at least one token");
            return new Batch(Arrays.copyOf(tokens, n), Arrays.copyOf(seqIds, n), Arrays.copyOf(logits, n));
        }
    }
}
