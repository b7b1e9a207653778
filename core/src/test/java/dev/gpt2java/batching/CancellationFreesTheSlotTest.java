package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Collect;
import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.collect;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GenerationResult;

import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

/**
 * A cancel (the generation's, its result future's, its subscription's) ends the generation at the next step as
 * CANCELLED and frees its slot for the request waiting behind it; a queued request cancelled never runs.
 */
class CancellationFreesTheSlotTest {

    /** Tokens before the pause; the paused step's token still comes, then the cancel lands. */
    static final int AT = 2;

    /**
     * On one slot: A (100 tokens to go) pauses at its token {@link #AT}, B waits behind it; {@code cancel} ends A;
     * B then gets the slot and runs to its end.
     *
     * @return A's stream
     */
    static Collect cancelWhileRunning(BiConsumer<Generation, Collect> cancel) {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16))) {
            Pause pause = new Pause(Sampler.GREEDY, AT);
            Generation a = engine.submit(GenerationRequest.of(prompt(10, 1), pause, plain(100)));
            Collect sa = collect(a);
            pause.awaitReached();
            Generation b = engine.submit(GenerationRequest.of(prompt(8, 2), Sampler.GREEDY, plain(5)));
            cancel.accept(a, sa);
            pause.release();
            GenerationResult rb = await(b.result());
            assertEquals(FinishReason.LENGTH, rb.reason());
            assertEquals(5, rb.tokens().length);
            Engines.eventually(() -> engine.metrics().active() == 0, "the slots emptying");
            assertEquals(2, engine.metrics().finished());
            return sa;
        }
    }

    @Test
    void cancelEndsTheGenerationAtTheNextStep() {
        Generation[] a = new Generation[1];
        cancelWhileRunning((g, s) -> {
            a[0] = g;
            g.cancel();
        });
        GenerationResult r = await(a[0].result());
        assertEquals(FinishReason.CANCELLED, r.reason());
        assertEquals(AT + 1, r.tokens().length);
    }

    @Test
    void cancellingTheResultFutureCancelsTheGeneration() {
        Generation[] a = new Generation[1];
        Collect sa = cancelWhileRunning((g, s) -> {
            a[0] = g;
            assertTrue(g.result().cancel(true));
        });
        assertTrue(a[0].result().isCancelled());
        // the stream ends there too
        assertEquals(AT + 1, await(sa.done).size());
    }

    @Test
    void cancellingTheSubscriptionCancelsTheGeneration() {
        Generation[] a = new Generation[1];
        cancelWhileRunning((g, s) -> {
            a[0] = g;
            await(s.subscribed).cancel();   // onSubscribe may come after the pause on a busy machine
        });
        GenerationResult r = await(a[0].result());
        assertEquals(FinishReason.CANCELLED, r.reason());
        assertEquals(AT + 1, r.tokens().length);
    }

    @Test
    void aQueuedRequestCancelledNeverRuns() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16))) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = Engines.hold(engine, pause, prompt(10, 3), plain(6));
            Generation b = engine.submit(GenerationRequest.of(prompt(10, 4), Sampler.GREEDY, plain(6)));
            b.cancel();
            pause.release();
            GenerationResult rb = await(b.result());
            assertEquals(FinishReason.CANCELLED, rb.reason());
            assertEquals(0, rb.tokens().length);
            assertEquals("", rb.text());
            assertEquals(0, await(collect(b).done).size());
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
            assertEquals(6, engine.metrics().generatedTokens(), "B generated nothing");
        }
    }

    @Test
    void aCancelAfterTheEndChangesNothing() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16))) {
            Generation a = engine.submit(GenerationRequest.of(prompt(10, 5), Sampler.GREEDY, plain(4)));
            GenerationResult r = await(a.result());
            a.cancel();
            assertEquals(FinishReason.LENGTH, r.reason());
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
            assertEquals(FinishReason.LENGTH, await(engine.submit(GenerationRequest.of(prompt(10, 6), Sampler.GREEDY,
                    plain(4))).result()).reason());
        }
    }
}
