package dev.gpt2java.batching;

/**
 * How many compute threads the engine's next step takes: {@link BatchingParams#threads()}, or one when one
 * is faster. ggml's threads spin while they wait for each other, so on a machine whose cores are taken by
 * other work a step with as many threads as cores waits for a thread that is not running, and one thread is
 * many times faster (measured on the 2-core machine with two busy processes: docs/BENCHMARKS.md). Every
 * {@link #PROBE_EVERY} steps one step runs with the other count; when two probes in a row evaluate a batch of
 * the same size as the step before them in under {@link #WIN} of its time, the other count becomes the
 * count. A wrong switch costs at most {@code PROBE_EVERY} slower steps: the next probes switch back.
 *
 * <p>For the compute thread only.
 */
final class ThreadChooser {

    static final int PROBE_EVERY = 64;
    static final double WIN = 0.8;

    private final int max;
    private int current;
    private int sinceProbe;
    private int wins;
    private boolean probing;
    private int lastTokens = -1;
    private long lastNanos;

    ThreadChooser(int max) {
        this.max = max;
        this.current = max;
    }

    /** The threads for a step of {@code tokens} batch tokens. */
    int threadsFor(int tokens) {
        probing = max > 1 && ++sinceProbe >= PROBE_EVERY && tokens == lastTokens;
        return probing ? other() : current;
    }

    /** What the step just run (of {@code tokens} tokens, with {@link #threadsFor}'s count) took. */
    void took(int tokens, long nanos) {
        if (!probing) {
            lastTokens = tokens;
            lastNanos = nanos;
            return;
        }
        probing = false;
        if (nanos < WIN * lastNanos) {
            wins++;
            sinceProbe = PROBE_EVERY - 1;   // the next step of the same size probes again
            if (wins == 2) {
                current = other();
                wins = 0;
                sinceProbe = 0;
                lastNanos = nanos;
            }
        } else {
            wins = 0;
            sinceProbe = 0;
        }
    }

    /** The count in force. */
    int current() {
        return current;
    }

    private int other() {
        return current == max ? 1 : max;
    }
}
