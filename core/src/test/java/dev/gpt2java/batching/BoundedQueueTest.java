package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;

import org.junit.jupiter.api.Test;

/** With every slot busy and queueCapacity requests waiting, submit refuses the next one until room is made. */
class BoundedQueueTest {

    static GenerationRequest request(int salt, Sampler s) {
        return GenerationRequest.of(prompt(10, salt), s, plain(4));
    }

    @Test
    void aFullQueueRefusesTheNextRequest() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(1, 16).withQueueCapacity(1))) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = engine.submit(request(1, pause));
            pause.awaitReached();
            Generation b = engine.submit(request(2, Sampler.GREEDY));
            QueueFullException e = assertThrows(QueueFullException.class, () -> engine.submit(request(3, Sampler.GREEDY)));
            assertEquals(1, e.queueCapacity());
            BatchingMetrics m = engine.metrics();
            assertEquals(1, m.active());
            assertEquals(1, m.queued());
            assertEquals(2, m.submitted());
            assertEquals(1, m.rejected());
            pause.release();
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
            assertEquals(FinishReason.LENGTH, await(b.result()).reason());
            // room again
            assertEquals(FinishReason.LENGTH, await(engine.submit(request(3, Sampler.GREEDY)).result()).reason());
        }
    }

    @Test
    void withNoQueueABusyEngineRefusesAtOnce() {
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16).withQueueCapacity(0))) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            Generation a = engine.submit(request(1, pause));
            pause.awaitReached();
            Generation b = engine.submit(request(2, Sampler.GREEDY)); // the second slot
            assertThrows(QueueFullException.class, () -> engine.submit(request(3, Sampler.GREEDY)));
            pause.release();
            assertEquals(FinishReason.LENGTH, await(a.result()).reason());
            assertEquals(FinishReason.LENGTH, await(b.result()).reason());
            assertEquals(1, engine.metrics().rejected());
        }
    }
}
