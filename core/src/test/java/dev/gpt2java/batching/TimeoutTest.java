package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GenerationResult;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A request whose deadline (its own timeout, else the engine's default, from submission) passes ends as TIMEOUT
 * at the next step: running (with the tokens it has) or still queued (with none).
 *
 * <p>A running request's deadline is long enough ({@link #RUNNING}) for it to be surely in a slot when its
 * paused sampler is reached on a loaded machine; the test then holds the pause until the deadline has passed.
 */
class TimeoutTest {

    static final Duration SHORT = Duration.ofMillis(50);
    static final Duration RUNNING = Duration.ofSeconds(2);

    /** Holds the engine in a paused sampler until {@code d} from {@code since} ({@link System#nanoTime()}, taken after submit returned) has passed. */
    static void outlast(Pause pause, long since, Duration d) {
        pause.awaitReached();
        Engines.eventually(() -> System.nanoTime() - since > d.toNanos(), "the deadline passing");
        pause.release();
    }

    @Test
    void aRunningRequestPastItsTimeoutEndsWithItsTokens() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16))) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = engine.submit(new GenerationRequest(prompt(10, 1), pause, plain(100), RUNNING));
            long t0 = System.nanoTime(); // after the engine stamped the submission
            outlast(pause, t0, RUNNING);
            GenerationResult r = await(a.result());
            assertEquals(FinishReason.TIMEOUT, r.reason());
            assertEquals(1, r.tokens().length, "the paused step's token, then the deadline");
        }
    }

    @Test
    void theEnginesDefaultTimeoutAppliesToARequestWithNone() {
        BatchingParams p = Engines.params(1, 16).withDefaultTimeout(RUNNING);
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), p)) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = engine.submit(GenerationRequest.of(prompt(10, 2), pause, plain(100)));
            long t0 = System.nanoTime(); // after the engine stamped the submission
            outlast(pause, t0, RUNNING);
            assertEquals(FinishReason.TIMEOUT, await(a.result()).reason());
        }
    }

    @Test
    void aRequestsOwnTimeoutOverridesTheDefault() {
        BatchingParams p = Engines.params(1, 16).withDefaultTimeout(SHORT);
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), p)) {
            Pause pause = new Pause(Sampler.GREEDY, 1);
            Generation a = engine.submit(new GenerationRequest(prompt(10, 3), pause, plain(5), Duration.ofHours(1)));
            long t0 = System.nanoTime(); // after the engine stamped the submission
            outlast(pause, t0, SHORT);
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
        }
    }

    @Test
    void aQueuedRequestPastItsTimeoutEndsWithoutRunning() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16))) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = Engines.hold(engine, pause, prompt(10, 4), plain(5));
            Generation b = engine.submit(new GenerationRequest(prompt(10, 5), Sampler.GREEDY, plain(5), SHORT));
            long t0 = System.nanoTime(); // after the engine stamped the submission
            outlast(pause, t0, SHORT);
            GenerationResult rb = await(b.result());
            assertEquals(FinishReason.TIMEOUT, rb.reason());
            assertEquals(0, rb.tokens().length);
            assertEquals(0, b.cachedPromptTokens());
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
        }
    }
}
