package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The logits of a session's last eval, read in place (no copy): {@code rows()} rows of
 * {@code nVocab()} floats, one per token that asked for logits, in batch order.
 *
 * <p>Valid until the session's next eval or its close; after that every method but
 * {@link #isValid()} throws {@link IllegalStateException}, even from another thread: the view's
 * memory is released through an {@link Arena}, so a stale view never reads freed memory.
 */
public final class LogitsView {

    private final MemorySegment data;
    private final Arena arena;
    private final int rows;
    private final int nVocab;
    private final int[] tokenIndex;

    LogitsView(MemorySegment data, Arena arena, int rows, int nVocab, int[] tokenIndex) {
        this.data = data;
        this.arena = arena;
        this.rows = rows;
        this.nVocab = nVocab;
        this.tokenIndex = tokenIndex;
    }

    /** Whether the view can still be read (no eval or close of its session since). */
    public boolean isValid() {
        return arena.scope().isAlive();
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new IllegalStateException("stale LogitsView: its session evaluated again or was closed");
        }
    }

    void invalidate() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** Number of rows (outputs of the eval). */
    public int rows() {
        ensureValid();
        return rows;
    }

    /** Row length: the vocabulary size. */
    public int nVocab() {
        return nVocab;
    }

    /** Index in the batch of the token behind {@code row}. */
    public int tokenIndex(int row) {
        ensureValid();
        return tokenIndex[Checks.index("logits row", row, rows)];
    }

    /** The logit of {@code token} in {@code row}. */
    public float get(int row, int token) {
        ensureValid();
        Checks.index("logits row", row, rows);
        Checks.index("token", token, nVocab);
        return data.getAtIndex(ValueLayout.JAVA_FLOAT, (long) row * nVocab + token);
    }

    /** The token with the largest logit in {@code row} (the lowest id on ties). */
    public int argmax(int row) {
        ensureValid();
        Checks.index("logits row", row, rows);
        long base = (long) row * nVocab;
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < nVocab; t++) {
            float v = data.getAtIndex(ValueLayout.JAVA_FLOAT, base + t);
            if (v > max) {
                max = v;
                best = t;
            }
        }
        return best;
    }

    /** A copy of {@code row}. */
    public float[] row(int row) {
        ensureValid();
        Checks.index("logits row", row, rows);
        return data.asSlice((long) row * nVocab * Float.BYTES, (long) nVocab * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    /** A copy of all rows, row-major ({@code rows() * nVocab()} floats). */
    public float[] toArray() {
        ensureValid();
        return data.toArray(ValueLayout.JAVA_FLOAT);
    }

    @Override
    public String toString() {
        return "LogitsView[" + rows + " x " + nVocab + (isValid() ? "" : ", stale") + "]";
    }
}
