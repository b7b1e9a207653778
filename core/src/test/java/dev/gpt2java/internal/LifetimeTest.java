package dev.gpt2java.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The one lifetime scheme of every handle: uses, close, dependents. */
class LifetimeTest {

    @Test
    void aUseAfterCloseThrowsNamingTheHandleAndTheResourceIsFreedOnce() {
        AtomicInteger frees = new AtomicInteger();
        Lifetime l = new Lifetime("Thing /a/b", frees::incrementAndGet);
        assertEquals(7, l.call(() -> 7));
        l.close();
        l.close();
        assertEquals(1, frees.get());
        assertTrue(l.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.call(() -> "x"));
        assertEquals("Thing /a/b is closed", e.getMessage());
        assertThrows(IllegalStateException.class, l::ensureOpen);
        assertThrows(IllegalStateException.class, l::retain);
    }

    @Test
    void closeWaitsForAUseInFlightOnAnotherThread() throws Exception {
        AtomicInteger frees = new AtomicInteger();
        Lifetime l = new Lifetime("Thing", frees::incrementAndGet);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicInteger freesSeenInside = new AtomicInteger(-1);
        Thread user = Thread.ofPlatform().start(() -> l.run(() -> {
            inside.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            freesSeenInside.set(frees.get());
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread closer = Thread.ofPlatform().start(l::close);
        // close has begun or is about to: a new use is refused from now on, and nothing is freed yet
        while (!l.isClosed()) {
            Thread.onSpinWait();
        }
        assertThrows(IllegalStateException.class, l::enter);
        assertEquals(0, frees.get());
        assertTrue(closer.isAlive(), "close returned while a use was in flight");
        letGo.countDown();
        closer.join(10_000);
        user.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(0, freesSeenInside.get(), "freed under a use");
        assertEquals(1, frees.get());
    }

    @Test
    void aDependentKeepsTheResourceUntilItLetsGo() {
        AtomicInteger frees = new AtomicInteger();
        Lifetime l = new Lifetime("Model", frees::incrementAndGet);
        l.retain();
        l.retain();
        l.close();
        assertEquals(0, frees.get(), "freed while dependents hold it");
        l.release();
        assertEquals(0, frees.get());
        l.release();
        assertEquals(1, frees.get());
        assertThrows(IllegalStateException.class, l::release);
    }

    @Test
    void aFailingUseStillEndsTheUse() {
        AtomicInteger frees = new AtomicInteger();
        Lifetime l = new Lifetime("Thing", frees::incrementAndGet);
        assertThrows(ArithmeticException.class, () -> l.call(() -> 1 / (frees.get())));
        l.close();
        assertEquals(1, frees.get(), "the failed use was still counted in flight");
    }
}
