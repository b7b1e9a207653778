package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Collect;
import static dev.gpt2java.batching.Engines.alone;
import static dev.gpt2java.batching.Engines.assertSameRun;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.collect;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Batch;
import dev.gpt2java.Session;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GenerationParams;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A failure fails the requests it touches (future and subscriber both told) and no other, and never leaves a
 * caller waiting: a sampler's only its request, an eval's its step's requests (the engine goes on), a broken
 * session every request (the engine stops and says why).
 */
class FailuresTest {

    static final GenerationParams P = plain(10);

    /** Fails the future's wait with what the engine failed with. */
    static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Engines.WAIT_S, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void aSamplerThatThrowsFailsOnlyItsRequest() {
        RuntimeException boom = new IllegalStateException("the sampler broke");
        AtomicInteger calls = new AtomicInteger();
        Sampler breaking = (logits, history) -> {
            if (calls.incrementAndGet() == 4) {
                throw boom;
            }
            return Sampler.GREEDY.sample(logits, history);
        };
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16))) {
            Generation a = engine.submit(GenerationRequest.of(prompt(10, 1), breaking, P));
            Collect sa = collect(a);
            Generation b = engine.submit(GenerationRequest.of(prompt(12, 2), Sampler.GREEDY, P));
            assertSame(boom, failure(a.result()));
            assertSame(boom, failure(sa.done));
            assertSameRun(alone(Engines.tiny(), prompt(12, 2), Sampler.GREEDY, P), await(b.result()), await(collect(b).done),
                    TokensMatchALoneGeneratorTest.TOL, "the other request");
            assertEquals(FinishReason.LENGTH, await(engine.submit(GenerationRequest.of(prompt(10, 1), Sampler.GREEDY, P))
                    .result()).reason());
        }
    }

    @Test
    void aFailedEvalFailsItsStepsRequestsAndTheEngineGoesOn() {
        RuntimeException boom = new IllegalStateException("the eval broke");
        AtomicInteger evals = new AtomicInteger();
        BatchingEngine.Evaluator failingOnce = (session, batch) -> {
            if (evals.incrementAndGet() == 4) {
                throw boom;
            }
            return session.eval(batch);
        };
        int[] pa = prompt(10, 3);
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16), StepObserver.NONE,
                failingOnce)) {
            // b joins at the second eval, so both are in the fourth
            Engines.Pause pause = new Engines.Pause(Sampler.GREEDY, 0);
            Generation a = Engines.hold(engine, pause, pa, P);
            Generation b = engine.submit(GenerationRequest.of(prompt(10, 4), Sampler.GREEDY, P));
            pause.release();
            assertSame(boom, failure(a.result()));
            assertSame(boom, failure(b.result()));
            assertSame(boom, failure(collect(b).done));
            // the failed step's sequences were cleared: nothing stale is reused
            Generation again = engine.submit(GenerationRequest.of(pa, Sampler.GREEDY, P));
            assertSameRun(alone(Engines.tiny(), pa, Sampler.GREEDY, P), await(again.result()), await(collect(again).done),
                    TokensMatchALoneGeneratorTest.TOL, "after the failure");
            assertEquals(0, again.cachedPromptTokens());
            assertEquals(3, engine.metrics().finished());
        }
    }

    @Test
    void aBrokenSessionFailsEveryRequestAndStopsTheEngine() {
        CountDownLatch bothSubmitted = new CountDownLatch(1);
        BatchingEngine.Evaluator breaking = (Session session, Batch batch) -> {
            Engines.await(bothSubmitted, "the submissions");
            session.close();
            return session.eval(batch);
        };
        BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16), StepObserver.NONE, breaking);
        try {
            Generation a = engine.submit(GenerationRequest.of(prompt(10, 5), Sampler.GREEDY, P));
            Generation b = engine.submit(GenerationRequest.of(prompt(10, 6), Sampler.GREEDY, P));
            bothSubmitted.countDown();
            Throwable cause = failure(a.result());
            assertTrue(cause instanceof IllegalStateException, "failed with " + cause);
            // b waited in the queue; it fails too, and so does its iterator
            failure(b.result());
            Iterator<?> it = b.blockingIterator();
            assertThrows(CompletionException.class, it::hasNext);
            Engines.eventually(() -> {
                try {
                    engine.submit(GenerationRequest.of(prompt(10, 7), Sampler.GREEDY, P));
                    return false;
                } catch (IllegalStateException e) {
                    return e.getCause() != null;
                }
            }, "submit refused with the cause");
        } finally {
            engine.close();
        }
        assertFalse(engine.shutdown(Duration.ZERO), "the engine failed");
    }
}
