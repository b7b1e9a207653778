package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.sampling.Sampler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The observer is told of every step (who decoded, who prefilled, how many tokens), and the metrics add up to
 * what the requests did.
 */
class StepsAndMetricsTest {

    record Step(int decoding, int prefilling, int tokens) {
    }

    @Test
    void theObserverSeesEveryStepAndTheMetricsAddUp() {
        List<Step> seen = new CopyOnWriteArrayList<>();
        AtomicLong leastNanos = new AtomicLong(Long.MAX_VALUE);
        StepObserver recording = (decoding, prefilling, tokens, nanos) -> {
            leastNanos.accumulateAndGet(nanos, Math::min);
            seen.add(new Step(decoding, prefilling, tokens));
        };
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 8), recording)) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = Engines.hold(engine, pause, prompt(3, 1), plain(10));
            Generation b = engine.submit(GenerationRequest.of(prompt(20, 2), Sampler.GREEDY, plain(6)));
            pause.release();
            await(a.result());
            await(b.result());
            Engines.eventually(() -> engine.metrics().active() == 0, "the slots emptying");

            // a's prompt alone; then b's 20 prompt tokens in chunks of 8 beside a's decoding
            assertEquals(new Step(0, 1, 3), seen.get(0));
            assertEquals(new Step(1, 1, 9), seen.get(1));
            assertEquals(new Step(1, 1, 9), seen.get(2));
            assertEquals(new Step(1, 1, 5), seen.get(3));
            assertEquals(3 + 20 + 9 + 5, seen.stream().mapToInt(Step::tokens).sum(), "every token but each last");

            BatchingMetrics m = engine.metrics();
            assertEquals(seen.size(), m.steps());
            assertEquals(2, m.submitted());
            assertEquals(2, m.finished());
            assertEquals(0, m.rejected());
            assertEquals(23, m.promptTokens());
            assertEquals(0, m.cachedPromptTokens());
            assertEquals(16, m.generatedTokens());
            assertEquals(0, m.queued());
            assertTrue(leastNanos.get() > 0, "an eval took no time");
        }
    }
}
