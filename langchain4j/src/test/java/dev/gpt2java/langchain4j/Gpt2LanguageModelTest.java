package dev.gpt2java.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.batching.BatchingEngine;
import dev.gpt2java.batching.BatchingParams;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.Hypothesis;
import dev.langchain4j.model.StreamingResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j models on the project's own model (models/gpt2-kjv.gguf): what they answer is what the
 * library's Generator gives alone, streamed or not, one call or many at once; cancel, errors and options.
 */
class Gpt2LanguageModelTest {

    static final List<String> PROMPTS = List.of("And God said", "In the beginning", "The LORD is my shepherd",
            "And it came to pass", "Blessed are", "Then said Jesus", "Now the serpent", "And Moses");

    static Gpt2Model model;
    static BatchingEngine engine;

    @BeforeAll
    static void open() {
        model = Gpt2Model.load(Path.of(System.getProperty("gpt2.default.model")));
        engine = BatchingEngine.start(model, BatchingParams.defaults().withSlots(4).withNCtxPerSlot(128).withThreads(2));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    static Gpt2ModelBuilder<Gpt2LanguageModel> shared() {
        return Gpt2LanguageModel.builder().model(model).engine(engine);
    }

    /** The library alone: Generator on a session of its own. */
    static GenerationResult alone(String prompt, SamplingParams sampling, GenerationParams params) {
        return Generator.generate(model, model.tokenizer().encode(prompt), sampling.newSampler(), params, t -> { });
    }

    @Test
    void greedyAnswerIsTheGeneratorsTextWithUsageAndFinishReason() {
        try (Gpt2LanguageModel lm = shared().maxTokens(24).build()) {
            Response<String> r = lm.generate("And God said");
            GenerationResult ref = alone("And God said", SamplingParams.greedy(), GenerationParams.of(24, model.eosToken()));
            assertEquals(ref.text(), r.content());
            assertEquals(model.tokenizer().encode("And God said").length, r.tokenUsage().inputTokenCount());
            assertEquals(ref.tokens().length, r.tokenUsage().outputTokenCount());
            assertEquals(ref.reason() == dev.gpt2java.search.FinishReason.LENGTH ? FinishReason.LENGTH : FinishReason.STOP,
                    r.finishReason());
        }
    }

    @Test
    void seededSamplingIsTheGeneratorsWithTheSameSeedAndRepeats() {
        SamplingParams s = SamplingParams.defaults().withTemperature(0.9).withTopK(40).withSeed(7);
        try (Gpt2LanguageModel lm = shared().sampling(s).maxTokens(20).build()) {
            GenerationResult ref = alone("In the beginning", s, GenerationParams.of(20, model.eosToken()));
            assertEquals(ref.text(), lm.generate("In the beginning").content());
            assertEquals(ref.text(), lm.generate("In the beginning").content(), "each call draws from the seed anew");
        }
    }

    @Test
    void stopStringEndsTheTextBeforeItWithFinishReasonStop() {
        String full = alone("And God said", SamplingParams.greedy(), GenerationParams.of(24, model.eosToken())).text();
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        try (Gpt2LanguageModel lm = shared().maxTokens(24).stop(List.of(stop)).build()) {
            Response<String> r = lm.generate("And God said");
            assertEquals(full.substring(0, full.indexOf(stop)), r.content());
            assertEquals(FinishReason.STOP, r.finishReason());
        }
    }

    @Test
    void concurrentCallsShareBatchesAndEachGetsItsAloneAnswer() throws Exception {
        AtomicInteger widest = new AtomicInteger();
        try (BatchingEngine own = BatchingEngine.start(model,
                BatchingParams.defaults().withSlots(4).withNCtxPerSlot(128).withThreads(2),
                (decoding, prefilling, tokens, nanos) -> widest.accumulateAndGet(decoding + prefilling, Math::max));
             Gpt2LanguageModel lm = Gpt2LanguageModel.builder().model(model).engine(own).maxTokens(32).build();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response<String>>> answers = new ArrayList<>();
            for (String p : PROMPTS) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return lm.generate(p);
                }));
            }
            go.countDown();
            for (int i = 0; i < PROMPTS.size(); i++) {
                GenerationResult ref = alone(PROMPTS.get(i), SamplingParams.greedy(), GenerationParams.of(32, model.eosToken()));
                assertEquals(ref.text(), answers.get(i).get(60, TimeUnit.SECONDS).content(), PROMPTS.get(i));
            }
            assertTrue(widest.get() > 1, "the calls ran in shared batches, widest step " + widest.get());
        }
    }

    /** Collects what a streaming model hands its handler. */
    static final class Collector implements StreamingResponseHandler<String> {
        final List<String> pieces = new ArrayList<>();
        final CompletableFuture<Response<String>> done = new CompletableFuture<>();
        volatile Runnable onFirst = () -> { };

        @Override
        public void onNext(String token) {
            synchronized (pieces) {
                pieces.add(token);
            }
            onFirst.run();
        }

        @Override
        public void onComplete(Response<String> response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        String text() {
            synchronized (pieces) {
                return String.join("", pieces);
            }
        }
    }

    @Test
    void streamedPiecesMakeTheWholeTextAndTheFinalResponse() throws Exception {
        try (Gpt2StreamingLanguageModel lm = Gpt2StreamingLanguageModel.builder().model(model).engine(engine)
                .maxTokens(24).build()) {
            Collector c = new Collector();
            lm.generate("The LORD is my shepherd", c);
            Response<String> r = c.done.get(60, TimeUnit.SECONDS);
            GenerationResult ref = alone("The LORD is my shepherd", SamplingParams.greedy(),
                    GenerationParams.of(24, model.eosToken()));
            assertEquals(ref.text(), c.text());
            assertEquals(ref.text(), r.content());
            assertTrue(c.pieces.size() > 1, "streamed in pieces: " + c.pieces);
            assertEquals(ref.tokens().length, r.tokenUsage().outputTokenCount());
        }
    }

    @Test
    void cancellingTheHandleEndsTheStreamEarlyWithFinishReasonOther() throws Exception {
        try (Gpt2StreamingLanguageModel lm = Gpt2StreamingLanguageModel.builder().model(model).engine(engine)
                .maxTokens(120).minTokens(120).build()) {
            Collector c = new Collector();
            CompletableFuture<StreamingHandle> handle = new CompletableFuture<>();
            c.onFirst = () -> handle.join().cancel();
            handle.complete(lm.start("And it came to pass", c));
            Response<String> r = c.done.get(60, TimeUnit.SECONDS);
            assertEquals(FinishReason.OTHER, r.finishReason());
            assertTrue(r.tokenUsage().outputTokenCount() < 120, "ended early: " + r.tokenUsage());
            assertTrue(handle.join().isCancelled());
        }
    }

    @Test
    void aHandlerThatThrowsCancelsTheGenerationAndGetsTheErrorOnce() throws Exception {
        try (Gpt2StreamingLanguageModel lm = Gpt2StreamingLanguageModel.builder().model(model).engine(engine)
                .maxTokens(64).build()) {
            AtomicInteger errors = new AtomicInteger();
            CompletableFuture<Throwable> error = new CompletableFuture<>();
            lm.generate("Blessed are", new StreamingResponseHandler<>() {
                @Override
                public void onNext(String token) {
                    throw new IllegalStateException("the consumer broke");
                }

                @Override
                public void onComplete(Response<String> response) {
                    error.complete(null);
                }

                @Override
                public void onError(Throwable e) {
                    errors.incrementAndGet();
                    error.complete(e);
                }
            });
            Throwable e = error.get(60, TimeUnit.SECONDS);
            assertNotNull(e, "onError, not onComplete");
            assertEquals("the consumer broke", e.getMessage());
            Thread.sleep(200); // a second onError or a late onComplete would come from the engine's delivery thread
            assertEquals(1, errors.get());
        }
    }

    @Test
    void beamSearchAnswersWhatTheLibrarysBeamSearchFinds() {
        try (Gpt2LanguageModel lm = shared().numBeams(3).maxTokens(12).build()) {
            int[] prompt = model.tokenizer().encode("Now the serpent");
            Hypothesis best = BeamSearch.search(model, prompt, BeamSearchParams.of(3, model.eosToken()).withMaxNewTokens(12))
                    .getFirst();
            Response<String> r = lm.generate("Now the serpent");
            assertEquals(best.tokens().length, r.tokenUsage().outputTokenCount());
            int n = best.tokens().length;
            boolean eos = best.tokens()[n - 1] == model.eosToken();
            int[] text = eos ? java.util.Arrays.copyOf(best.tokens(), n - 1) : best.tokens();
            assertEquals(model.tokenizer().decode(text), r.content());
        }
    }

    @Test
    void badOptionsAreRefusedAtBuildNamingTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> shared().maxTokens(0).build())
                .getMessage().contains("maxNewTokens"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> shared().topP(1.5).build())
                .getMessage().contains("topP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> shared().numBeams(2).stop(List.of("x")).build())
                .getMessage().contains("stop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gpt2LanguageModel.builder().build())
                .getMessage().contains("modelPath"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Gpt2LanguageModel.builder().model(model).build())
                .getMessage().contains("engine"));
    }

    @Test
    void aPromptTooLongForTheSlotIsRefusedWithTheEnginesMessage() {
        try (Gpt2LanguageModel lm = shared().build()) {
            String longPrompt = "And God said ".repeat(100);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lm.generate(longPrompt));
            assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        }
    }

    @Test
    void aModelBuiltFromAPathOwnsItsEngineAndClosesIt() {
        Gpt2LanguageModel lm = Gpt2LanguageModel.builder().modelPath(Path.of(System.getProperty("gpt2.default.model")))
                .batching(BatchingParams.defaults().withSlots(2).withNCtxPerSlot(64).withThreads(1)).maxTokens(8).build();
        Response<String> r = lm.generate("And God said");
        assertEquals(alone("And God said", SamplingParams.greedy(), GenerationParams.of(8, model.eosToken())).text(),
                r.content());
        lm.close();
        assertThrows(IllegalStateException.class, () -> lm.generate("And God said"));
        lm.close(); // idempotent
    }
}
