package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GenerationResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * shutdown(grace) stops admitting, lets the running and queued requests end within the grace, cancels the rest,
 * stops the compute thread; close() is shutdown(ZERO), and a second one does nothing.
 */
class ShutdownTest {

    static GenerationRequest request(int salt, Sampler s, int maxNew) {
        return GenerationRequest.of(prompt(10, salt), s, plain(maxNew));
    }

    @Test
    void withGraceRunningAndQueuedRequestsEndOnTheirOwn() {
        BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16));
        Generation a = engine.submit(request(1, Sampler.GREEDY, 8));
        Generation b = engine.submit(request(2, Sampler.GREEDY, 8));
        assertTrue(engine.shutdown(Duration.ofSeconds(Engines.WAIT_S)));
        assertEquals(FinishReason.LENGTH, await(a.result()).reason());
        assertEquals(FinishReason.LENGTH, await(b.result()).reason());
    }

    @Test
    void afterShutdownSubmitIsRefused() {
        BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16));
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.submit(request(1, Sampler.GREEDY, 4)));
        assertEquals(1, engine.metrics().rejected());
        assertEquals(0, engine.metrics().submitted());
    }

    @Test
    void whatIsLeftWhenTheGraceEndsIsCancelled() throws Exception {
        BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16));
        Pause pause = new Pause(Sampler.GREEDY, 2);
        Generation a = engine.submit(request(1, pause, 100));
        pause.awaitReached();
        Generation b = engine.submit(request(2, Sampler.GREEDY, 100));
        CompletableFuture<Boolean> clean = new CompletableFuture<>();
        Thread closer = Thread.ofPlatform().start(() -> clean.complete(engine.shutdown(Duration.ZERO)));
        // the closer waits for the compute thread, held in the pause
        Engines.eventually(() -> closer.getState() == Thread.State.WAITING, "the shutdown waiting");
        assertThrows(IllegalStateException.class, () -> engine.submit(request(3, Sampler.GREEDY, 4)));
        pause.release();
        assertFalse(await(clean));
        GenerationResult ra = await(a.result());
        assertEquals(FinishReason.CANCELLED, ra.reason());
        assertEquals(3, ra.tokens().length);
        GenerationResult rb = await(b.result());
        assertEquals(FinishReason.CANCELLED, rb.reason());
        assertEquals(0, rb.tokens().length);
        closer.join();
    }

    @Test
    void closeTwiceIsHarmlessAndTheEngineStaysReadable() {
        BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16));
        await(engine.submit(request(1, Sampler.GREEDY, 3)).result());
        engine.close();
        engine.close();
        assertTrue(engine.shutdown(Duration.ofSeconds(1)), "nothing was left to cancel");
        assertEquals(1, engine.metrics().finished());
        assertEquals(128, engine.params().nCtxPerSlot());
    }

    @Test
    void aCloseFromTheComputeThreadDoesNotWaitForItself() {
        BatchingEngine[] engine = new BatchingEngine[1];
        CompletableFuture<Void> closed = new CompletableFuture<>();
        StepObserver closing = (decoding, prefilling, tokens, nanos) -> {
            engine[0].close();
            closed.complete(null);
        };
        engine[0] = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16), closing);
        try {
            Generation a = engine[0].submit(request(1, Sampler.GREEDY, 50));
            await(closed);
            assertEquals(FinishReason.CANCELLED, await(a.result()).reason());
        } finally {
            engine[0].close();
        }
    }
}
