package dev.gpt2java.batching;

/**
 * The engine's slots and the prompt cache they make: an idle slot keeps its sequence's cells, and a new
 * prompt goes where the longest prefix of it is cached. Deciding only: the engine applies the
 * {@link Placement} to the session. Compute thread only.
 */
final class Slots {

    /**
     * Where a prompt goes.
     *
     * @param slot   the idle slot that runs it
     * @param source the slot whose cells it reuses: {@code slot} itself, or a running slot whose sequence is
     *               copied into {@code slot} first ({@code Session.seqCopy}, cells shared)
     * @param keep   the cached prompt tokens kept (the sequence is truncated to them); at most the prompt's
     *               length less one, as the last prompt token is evaluated for its logits
     */
    record Placement(Slot slot, Slot source, int keep) {
    }

    private final Slot[] all;
    private long clock;

    Slots(int n) {
        all = new Slot[n];
        for (int i = 0; i < n; i++) {
            all[i] = new Slot(i);
        }
    }

    Slot get(int seqId) {
        return all[seqId];
    }

    /**
     * The place of {@code prompt}: the idle slot whose cells share the longest prefix with it (none or a tie:
     * the least recently used), unless a running slot shares a longer one, whose cells are then copied into
     * the least recently used idle slot. Needs an idle slot.
     */
    Placement place(int[] prompt) {
        Slot bestIdle = null;
        int bestIdleShared = -1;
        Slot lru = null;
        Slot bestRunning = null;
        int bestRunningShared = 0;
        for (Slot s : all) {
            int shared = s.sharedPrefix(prompt);
            if (s.idle()) {
                if (lru == null || s.lastUsed < lru.lastUsed) {
                    lru = s;
                }
                if (shared > bestIdleShared || shared == bestIdleShared && s.lastUsed < bestIdle.lastUsed) {
                    bestIdle = s;
                    bestIdleShared = shared;
                }
            } else if (shared > bestRunningShared) {
                bestRunning = s;
                bestRunningShared = shared;
            }
        }
        if (bestIdle == null) {
            throw new IllegalStateException("no idle slot");
        }
        int cap = prompt.length - 1;
        if (bestRunning != null && Math.min(bestRunningShared, cap) > Math.min(bestIdleShared, cap)) {
            return new Placement(lru, bestRunning, Math.min(bestRunningShared, cap));
        }
        return new Placement(bestIdle, bestIdle, Math.min(bestIdleShared, cap));
    }

    /** Marks {@code s} used now (taken or released). */
    void touch(Slot s) {
        s.lastUsed = ++clock;
    }
}
