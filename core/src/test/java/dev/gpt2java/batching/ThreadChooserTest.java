package dev.gpt2java.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The engine keeps its threads while they are faster, and drops to one thread while one is faster. */
class ThreadChooserTest {

    /** Runs {@code steps} steps of {@code tokens} tokens, timed by {@code nanosWith} threads; the threads of each. */
    static int[] run(ThreadChooser c, int steps, int tokens, java.util.function.IntToLongFunction nanosWith) {
        int[] used = new int[steps];
        for (int i = 0; i < steps; i++) {
            used[i] = c.threadsFor(tokens);
            c.took(tokens, nanosWith.applyAsLong(used[i]));
        }
        return used;
    }

    static long count(int[] used, int threads) {
        return java.util.Arrays.stream(used).filter(t -> t == threads).count();
    }

    @Test
    void aQuietMachineKeepsEveryThreadAndProbesOneStepIn64() {
        ThreadChooser c = new ThreadChooser(2);
        int[] used = run(c, 640, 16, t -> t == 2 ? 10_000_000 : 18_000_000);
        assertEquals(2, c.current());
        assertEquals(10, count(used, 1), "one probe each 64 steps: steps 64, 128, ..., 640");
    }

    @Test
    void aBusyMachineDropsToOneThreadAfterTwoWinningProbesAndComesBackWhenItIsQuietAgain() {
        ThreadChooser c = new ThreadChooser(2);
        int[] busy = run(c, 65, 64, t -> t == 2 ? 900_000_000 : 150_000_000);
        assertEquals(1, c.current(), "two probes won (steps 64 and 65)");
        assertEquals(1, busy[63]);
        assertEquals(1, busy[64]);
        run(c, 200, 64, t -> t == 2 ? 900_000_000 : 150_000_000);
        assertEquals(1, c.current(), "probes with two threads lose while the machine is busy");
        run(c, 130, 64, t -> t == 2 ? 80_000_000 : 150_000_000);
        assertEquals(2, c.current(), "quiet again: two threads win their probes");
    }

    @Test
    void probesCompareOnlyStepsOfTheSameSizeAndOneThreadNeverProbes() {
        ThreadChooser c = new ThreadChooser(2);
        for (int i = 0; i < 300; i++) {
            int tokens = 1 + i % 7;   // never twice the same size in a row
            assertEquals(2, c.threadsFor(tokens));
            c.took(tokens, 1);
        }
        ThreadChooser single = new ThreadChooser(1);
        assertEquals(0, count(run(single, 300, 8, t -> 5), 2));
        assertEquals(1, single.current());
    }
}
