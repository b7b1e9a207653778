package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** With every slot busy and queueCapacity requests waiting, submit refuses the next one until room is made. */
class BoundedQueueTest {

    static GenerationRequest request(int salt, Sampler s) {
        return GenerationRequest.of(prompt(10, salt), s, plain(4));
    }

    /**
     * Fills {@code slots} slots (the first held in a pause) and {@code queueCapacity} places in the queue: the
     * next submit is refused; once they end, there is room again.
     */
    static void theRequestAfterAFullQueueIsRefused(int slots, int queueCapacity) {
        BatchingParams p = Engines.params(slots, 16).withQueueCapacity(queueCapacity);
        try (BatchingEngine engine = BatchingEngine.start(Engines.tiny(), p)) {
            Pause pause = new Pause(Sampler.GREEDY, 0);
            List<Generation> admitted = new ArrayList<>(List.of(Engines.hold(engine, pause, prompt(10, 0), plain(4))));
            for (int i = 1; i < slots + queueCapacity; i++) {
                admitted.add(engine.submit(request(i, Sampler.GREEDY)));
            }
            QueueFullException e = assertThrows(QueueFullException.class, () -> engine.submit(request(99, Sampler.GREEDY)));
            assertEquals(queueCapacity, e.queueCapacity());
            BatchingMetrics m = engine.metrics();
            assertEquals(slots + queueCapacity, m.submitted());
            assertEquals(1, m.rejected());
            assertEquals(slots + queueCapacity, m.active() + m.queued());
            pause.release();
            for (Generation g : admitted) {
                assertEquals(FinishReason.LENGTH, await(g.result()).reason());
            }
            assertEquals(FinishReason.LENGTH, await(engine.submit(request(99, Sampler.GREEDY)).result()).reason(),
                    "room again");
        }
    }

    @Test
    void aFullQueueRefusesTheNextRequest() {
        theRequestAfterAFullQueueIsRefused(1, 1);
    }

    @Test
    void withNoQueueABusyEngineRefusesAtOnce() {
        theRequestAfterAFullQueueIsRefused(2, 0);
    }
}
