package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests and parameters that cannot run are refused where they are made, with the field named, before
 * anything reaches native code; the engine is unharmed.
 */
class InvalidRequestsTest {

    static final int N_CTX = 32;
    static BatchingEngine engine;

    @BeforeAll
    static void start() {
        engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16).withNCtxPerSlot(N_CTX));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static IllegalArgumentException refused(int[] prompt) {
        return assertThrows(IllegalArgumentException.class,
                () -> engine.submit(GenerationRequest.of(prompt, Sampler.GREEDY, plain(4))));
    }

    @Test
    void aTokenIdOutsideTheVocabularyIsRefused() {
        int[] prompt = prompt(5, 1);
        prompt[2] = 1000;
        IllegalArgumentException e = refused(prompt);
        assertTrue(e.getMessage().contains("prompt[2] = 1000"), e.getMessage());
        prompt[2] = -1;
        assertTrue(refused(prompt).getMessage().contains("prompt[2] = -1"));
        assertEquals(0, engine.metrics().submitted());
    }

    @Test
    void aPromptThatFillsTheSlotIsRefused() {
        IllegalArgumentException e = refused(prompt(N_CTX, 2));
        assertTrue(e.getMessage().contains("prompt") && e.getMessage().contains("nCtxPerSlot"), e.getMessage());
        // one token less fits, and the slot's end ends it
        Generation g = engine.submit(GenerationRequest.of(prompt(N_CTX - 1, 2), Sampler.GREEDY, plain(8)));
        assertEquals(FinishReason.LENGTH, Engines.await(g.result()).reason());
        assertEquals(1, Engines.await(g.result()).tokens().length);
    }

    @Test
    void malformedRequestsAreRefusedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> GenerationRequest.of(new int[0], Sampler.GREEDY, plain(4)));
        assertThrows(NullPointerException.class, () -> GenerationRequest.of(prompt(3, 3), null, plain(4)));
        assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest(prompt(3, 3), Sampler.GREEDY, plain(4), Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> engine.submit(null));
    }

    @Test
    void slotsLargerThanTheModelsContextAreRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchingEngine.start(Engines.tiny(), Engines.params(1, 16).withNCtxPerSlot(129)));
        assertTrue(e.getMessage().contains("nCtxPerSlot"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchingEngine.start(Engines.tiny(), Engines.params(1, 16).withNCtxPerSlot(1)));
    }

    @Test
    void parametersOutOfRangeAreRefusedWhenMade() {
        BatchingParams p = BatchingParams.defaults();
        assertThrows(IllegalArgumentException.class, () -> p.withSlots(0));
        assertThrows(IllegalArgumentException.class, () -> p.withSlots(257));
        assertThrows(IllegalArgumentException.class, () -> p.withPrefillChunk(0));
        assertThrows(IllegalArgumentException.class, () -> p.withQueueCapacity(-1));
        assertThrows(IllegalArgumentException.class, () -> p.withDefaultTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void paramsReportsTheDefaultsResolved() {
        try (BatchingEngine e = BatchingEngine.start(Engines.tiny(), BatchingParams.defaults().withSlots(1))) {
            assertEquals(Engines.tiny().nCtxTrain(), e.params().nCtxPerSlot());
            assertEquals(Math.min(Runtime.getRuntime().availableProcessors(), 1024), e.params().threads());
        }
    }
}
