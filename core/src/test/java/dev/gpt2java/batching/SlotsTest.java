package dev.gpt2java.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationState;

import org.junit.jupiter.api.Test;

/**
 * Where a prompt goes: the idle slot caching the longest prefix of it (ties and misses: the least recently
 * used), or a copy of a running sequence that caches a longer one; never all of the prompt.
 */
class SlotsTest {

    static Slots slots(int n) {
        Slots s = new Slots(n);
        for (int i = 0; i < n; i++) {
            s.touch(s.get(i)); // slot 0 is the least recently used
        }
        return s;
    }

    static void cache(Slot s, int... tokens) {
        for (int t : tokens) {
            s.append(t);
        }
    }

    static void run(Slot s) {
        s.generation = new Generation(new int[] {1}, new GenerationState(new int[] {1}, Sampler.GREEDY, Engines.plain(1),
                null, 8), 0, 0, () -> { });
    }

    @Test
    void aMissGoesToTheLeastRecentlyUsedIdleSlot() {
        Slots s = slots(3);
        cache(s.get(1), 7, 7);
        s.touch(s.get(0));
        Slots.Placement p = s.place(new int[] {1, 2, 3});
        assertSame(s.get(1), p.slot());
        assertSame(p.slot(), p.source());
        assertEquals(0, p.keep());
    }

    @Test
    void theLongestSharedPrefixWins() {
        Slots s = slots(3);
        cache(s.get(0), 1, 2, 3);
        cache(s.get(1), 1, 2, 3, 4, 5);
        cache(s.get(2), 1, 2, 3, 4, 6);
        Slots.Placement p = s.place(new int[] {1, 2, 3, 4, 5, 9});
        assertSame(s.get(1), p.slot());
        assertEquals(5, p.keep());
    }

    @Test
    void aTieGoesToTheLeastRecentlyUsed() {
        Slots s = slots(3);
        cache(s.get(1), 1, 2, 8);
        cache(s.get(2), 1, 2, 9);
        assertSame(s.get(1), s.place(new int[] {1, 2, 3}).slot());
        s.touch(s.get(1));
        assertSame(s.get(2), s.place(new int[] {1, 2, 3}).slot());
    }

    @Test
    void aWhollyCachedPromptKeepsAllButItsLastToken() {
        Slots s = slots(2);
        cache(s.get(1), 1, 2, 3, 4);
        Slots.Placement p = s.place(new int[] {1, 2, 3});
        assertSame(s.get(1), p.slot());
        assertEquals(2, p.keep());
    }

    @Test
    void aRunningSequenceWithALongerPrefixIsCopiedIntoTheLeastRecentlyUsedIdleSlot() {
        Slots s = slots(3);
        cache(s.get(0), 1, 2, 3, 4, 5, 6);
        run(s.get(0));
        cache(s.get(2), 1, 2);
        Slots.Placement p = s.place(new int[] {1, 2, 3, 4, 9});
        assertSame(s.get(1), p.slot());
        assertSame(s.get(0), p.source());
        assertEquals(4, p.keep());
        // no longer than what an idle slot has: the idle one, no copy
        Slots.Placement q = s.place(new int[] {1, 2, 7});
        assertSame(s.get(2), q.slot());
        assertSame(q.slot(), q.source());
        assertEquals(2, q.keep());
    }

    @Test
    void withNoIdleSlotThereIsNoPlace() {
        Slots s = slots(1);
        run(s.get(0));
        assertThrows(IllegalStateException.class, () -> s.place(new int[] {1}));
    }
}
