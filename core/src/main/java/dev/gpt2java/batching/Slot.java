package dev.gpt2java.batching;

import java.util.Arrays;

/**
 * One sequence of the engine's session: the tokens its KV cells hold, in position order (kept after its
 * generation ends: the prompt cache), and the generation it runs, if any. Compute thread only.
 */
final class Slot {

    /** The session's sequence id. */
    final int seqId;
    private int[] cells = new int[64];
    private int length;
    /** When it was last taken or released, on {@link Slots}' clock: the least recently used goes first. */
    long lastUsed;
    /** The generation in this slot; null when idle. */
    Generation generation;
    /** Prompt tokens of {@link #generation} in the cells; the prompt's length once it is prefilled. */
    int prefilled;

    Slot(int seqId) {
        this.seqId = seqId;
    }

    boolean idle() {
        return generation == null;
    }

    /** Tokens in the sequence's cells: its next position. */
    int length() {
        return length;
    }

    /** How many first tokens of {@code prompt} the cells hold. */
    int sharedPrefix(int[] prompt) {
        int n = Math.min(length, prompt.length);
        int mismatch = Arrays.mismatch(cells, 0, n, prompt, 0, n);
        return mismatch < 0 ? n : mismatch;
    }

    /** Records a token appended to the sequence (evaluated at position {@link #length()}). */
    void append(int token) {
        if (length == cells.length) {
            cells = Arrays.copyOf(cells, length * 2);
        }
        cells[length++] = token;
    }

    /** Records {@code Session.seqTruncate(seqId, n)}. */
    void truncate(int n) {
        length = Math.min(length, n);
    }

    /** Records {@code Session.seqCopy(src.seqId, seqId)}. */
    void copyOf(Slot src) {
        cells = Arrays.copyOf(src.cells, Math.max(src.cells.length, 64));
        length = src.length;
    }

    @Override
    public String toString() {
        return "Slot[seq " + seqId + ", " + length + " cells, " + (idle() ? "idle" : "running") + "]";
    }
}
