package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closing is safe: double close is harmless, any use after close throws IllegalStateException and never
 * reads freed memory, a session outlives its closed model, and a stale LogitsView refuses to read.
 */
class LifecycleTest {

    static Path file;

    @BeforeAll
    static void write() {
        file = TestSupport.randomModel("lifecycle", "model", TestSupport.smallParams());
    }

    @Test
    void doubleCloseIsHarmless() {
        Gpt2Model m = Gpt2Model.load(file);
        Session s = m.newSession();
        s.close();
        assertDoesNotThrow(s::close);
        m.close();
        assertDoesNotThrow(m::close);
        assertTrue(m.isClosed());
        assertTrue(s.isClosed());
    }

    @Test
    void modelUseAfterCloseThrowsIllegalState() {
        Gpt2Model m = Gpt2Model.load(file);
        m.close();
        assertThrows(IllegalStateException.class, m::nVocab);
        assertThrows(IllegalStateException.class, m::nParams);
        assertThrows(IllegalStateException.class, () -> m.tokenText(0));
        assertThrows(IllegalStateException.class, () -> m.tokenBytes(0));
        assertThrows(IllegalStateException.class, m::merges);
        assertThrows(IllegalStateException.class, () -> m.newSession());
        assertEquals(file, m.path(), "the path stays readable, for messages");
    }

    @Test
    void sessionUseAfterCloseThrowsIllegalState() {
        try (Gpt2Model m = Gpt2Model.load(file)) {
            Session s = m.newSession();
            s.eval(0, 1, 2, 3);
            LogitsView view = s.logitsView();
            s.close();
            assertThrows(IllegalStateException.class, () -> s.eval(0, 4));
            assertThrows(IllegalStateException.class, () -> s.logits(0));
            assertThrows(IllegalStateException.class, s::logitsView);
            assertThrows(IllegalStateException.class, () -> s.seqLength(0));
            assertThrows(IllegalStateException.class, s::kvUsedCells);
            assertThrows(IllegalStateException.class, s::nOutputs);
            assertFalse(view.isValid());
            assertThrows(IllegalStateException.class, () -> view.get(0, 0));
            assertThrows(IllegalStateException.class, view::toArray);
        }
    }

    @Test
    void sessionOutlivesItsClosedModel() {
        Gpt2Model m = Gpt2Model.load(file);
        Session s = m.newSession();
        float[] before = s.eval(0, 5, 6, 7);
        s.seqClear(0);
        m.close();
        float[] after = s.eval(0, 5, 6, 7);  // the weights are still there (native reference count)
        assertArrayEquals(before, after);
        s.close();
    }

    @Test
    void logitsViewGoesStaleAtTheNextEval() {
        try (Gpt2Model m = Gpt2Model.load(file); Session s = m.newSession()) {
            float[] first = s.eval(0, 1, 2);
            LogitsView v = s.logitsView();
            assertTrue(v.isValid());
            assertEquals(1, v.rows());
            assertSame(v, s.logitsView());
            assertArrayEquals(first, v.row(0));
            assertEquals(Gpt2.argmax(first), v.argmax(0));
            assertEquals(first[3], v.get(0, 3));
            s.eval(0, 3);
            assertFalse(v.isValid());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.argmax(0));
            assertTrue(e.getMessage().contains("stale"), e.getMessage());
            assertTrue(s.logitsView().isValid(), "a new view for the new eval");
        }
    }

    @Test
    void failedEvalKeepsTheSessionUsable() {
        try (Gpt2Model m = Gpt2Model.load(file);
             Session s = m.newSession(SessionParams.defaults().withNCells(4).withNBatch(4))) {
            s.eval(0, 1, 2, 3, 4);
            assertThrows(Gpt2Exception.class, () -> s.eval(0, 5));
            assertEquals(0, s.nOutputs(), "no outputs after a failed eval");
            assertEquals(4, s.seqLength(0));
            s.seqTruncate(0, 3);
            assertEquals(m.nVocab(), s.eval(0, 9).length);
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForTheEvalAndLaterCallsFailCleanly() throws Exception {
        try (Gpt2Model m = Gpt2Model.load(file)) {
            Session s = m.newSession(SessionParams.defaults().withNSeqMax(1));
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger evals = new AtomicInteger();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        s.seqClear(0);
                        s.eval(0, 1, 2, 3, 4, 5, 6, 7, 8);
                        s.logitsView().argmax(0);
                        evals.incrementAndGet();
                        started.countDown();
                    }
                } catch (Throwable t) {
                    ended.set(t);
                } finally {
                    started.countDown();    // a worker that fails at once must not leave the test waiting
                }
            });
            worker.start();
            started.await();
            s.close();
            worker.join(10_000);
            assertFalse(worker.isAlive());
            assertTrue(ended.get() instanceof IllegalStateException, "worker ended with " + ended.get());
            assertTrue(evals.get() > 0);
        }
    }

    private static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }
}
