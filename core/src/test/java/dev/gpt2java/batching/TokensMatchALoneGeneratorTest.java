package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Collect;
import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.alone;
import static dev.gpt2java.batching.Engines.assertSameRun;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.collect;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/**
 * Each request's tokens are those it gets alone with {@code Generator}, whatever shares its steps: requests of
 * different lengths at once, prompts prefilled over several steps beside decoding ones, requests joining
 * mid-generation; greedy and seeded sampling.
 *
 * <p>Batched logits are not the lone run's bits (ggml takes another matrix kernel for an eval of several
 * tokens than for one: on the F32 fixture they differ by about 1e-5 of logits near 12), so the tokens, text
 * and reasons are compared exactly and the log-probabilities within {@link #TOL}. A request alone in the engine
 * evaluates what a lone run does, and gets its bits. Every join is pinned with a paused sampler, so that each
 * run of a test builds the same batches.
 */
class TokensMatchALoneGeneratorTest {

    /** Log-probabilities of batched and lone runs agree within this (measured: about 1e-5). */
    static final double TOL = 1e-4;

    static Gpt2Model model() {
        return Engines.tiny();
    }

    /** Records whether some step prefilled a prompt beside decoding sequences, and the most prefilled at once. */
    static final class Steps implements StepObserver {
        final AtomicInteger mixed = new AtomicInteger();
        final AtomicInteger maxTokens = new AtomicInteger();

        @Override
        public void onStep(int decoding, int prefilling, int tokens, long nanos) {
            if (decoding > 0 && prefilling > 0) {
                mixed.incrementAndGet();
            }
            maxTokens.accumulateAndGet(tokens, Math::max);
        }
    }

    /**
     * Runs prompts of these lengths at once on 3 slots with prefill chunks of 8 (so a fourth request waits for
     * a slot, and long prompts take several steps beside the decoding ones), each with {@code sampler.apply(i)}
     * (fresh per run), and compares every request with its lone run.
     */
    void concurrentRequestsGetTheirLoneTokens(IntFunction<Sampler> sampler) {
        int[] lengths = {5, 17, 40, 70};
        int[] maxNew = {30, 20, 25, 30};
        Steps steps = new Steps();
        List<Generation> running = new ArrayList<>();
        List<Collect> streams = new ArrayList<>();
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(3, 8), steps)) {
            Pause first = new Pause(sampler.apply(0), 0);
            for (int i = 0; i < lengths.length; i++) {
                Sampler s = i == 0 ? first : sampler.apply(i);
                Generation g = engine.submit(GenerationRequest.of(prompt(lengths[i], i), s, plain(maxNew[i])));
                running.add(g);
                streams.add(collect(g));
                if (i == 0) {
                    first.awaitReached(); // the others join together, at the next step
                }
            }
            first.release();
            for (int i = 0; i < lengths.length; i++) {
                GenerationResult r = await(running.get(i).result());
                assertEquals(FinishReason.LENGTH, r.reason());
                List<GeneratedToken> lone = alone(model(), prompt(lengths[i], i), sampler.apply(i), plain(maxNew[i]));
                assertSameRun(lone, r, await(streams.get(i).done), TOL, "request " + i + " (" + lengths[i] + " prompt tokens)");
            }
        }
        assertTrue(steps.mixed.get() > 0, "no step prefilled beside decoding sequences");
        assertTrue(steps.maxTokens.get() <= 3 + 8, "a step held " + steps.maxTokens.get() + " tokens");
    }

    @Test
    void concurrentGreedyRequestsWithChunkedPrefillsGetTheirLoneTokens() {
        concurrentRequestsGetTheirLoneTokens(i -> Sampler.GREEDY);
    }

    @Test
    void concurrentSeededSamplersGetTheirLoneDraws() {
        concurrentRequestsGetTheirLoneTokens(i -> SamplingParams.defaults().withTemperature(0.9).withTopK(40)
                .withSeed(1234 + i).newSampler());
    }

    @Test
    void requestsJoiningMidGenerationLeaveEveryonesTokensAsAlone() {
        int[] pa = prompt(6, 1);
        int[] pb = prompt(30, 2);
        int[] pc = prompt(61, 3);
        GenerationParams p = plain(40);
        IntFunction<Sampler> seeded = seed -> SamplingParams.defaults().withTopP(0.9).withSeed(seed).newSampler();
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(3, 8))) {
            Pause pauseA = new Pause(Sampler.GREEDY, 5);
            Generation a = engine.submit(GenerationRequest.of(pa, pauseA, p));
            Collect sa = collect(a);
            pauseA.awaitReached();
            // B joins at A's 6th step, and is prefilled in 4 steps beside it
            Pause pauseB = new Pause(seeded.apply(7), 3);
            Generation b = engine.submit(GenerationRequest.of(pb, pauseB, p));
            Collect sb = collect(b);
            pauseA.release();
            pauseB.awaitReached();
            // C joins at B's 4th token, with a prompt of 8 chunks
            Generation c = engine.submit(GenerationRequest.of(pc, seeded.apply(8), p));
            Collect sc = collect(c);
            pauseB.release();

            assertSameRun(alone(model(), pa, Sampler.GREEDY, p), await(a.result()), await(sa.done), TOL, "A");
            assertSameRun(alone(model(), pb, seeded.apply(7), p), await(b.result()), await(sb.done), TOL, "B");
            assertSameRun(alone(model(), pc, seeded.apply(8), p), await(c.result()), await(sc.done), TOL, "C");
        }
    }

    @Test
    void aRequestAloneInTheEngineGetsTheLoneRunsBits() {
        int[] prompt = prompt(33, 4);
        GenerationParams p = plain(30).withTopLogprobs(3);
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(2, 64))) {
            Generation g = engine.submit(GenerationRequest.of(prompt, Sampler.GREEDY, p));
            List<GeneratedToken> streamed = await(collect(g).done);
            List<GeneratedToken> lone = alone(model(), prompt, Sampler.GREEDY, p);
            assertSameRun(lone, await(g.result()), streamed, 0, "alone in the engine");
            assertEquals(lone, streamed, "tokens with their top logprobs");
        }
    }

    /** Real text: the default model, a stop string found in the lone run's text, EOS among the ids. */
    @Test
    void stopStringsAndTextAreTheLoneRunsOnARealModel() {
        Gpt2Model kjv = Engines.kjv();
        int[] prompt = kjv.tokenizer().encode("In the beginning God created the heaven and the earth.");
        GenerationParams open = GenerationParams.of(40, kjv.eosToken());
        String text = alone(kjv, prompt, Sampler.GREEDY, open).stream().map(GeneratedToken::text).reduce("", String::concat);
        assertTrue(text.length() > 24, "the lone run wrote '" + text + "'");
        String stop = text.substring(16, 21);
        GenerationParams stopping = open.withStopStrings(stop);
        List<GeneratedToken> lone = alone(kjv, prompt, Sampler.GREEDY, stopping);
        try (BatchingEngine engine = BatchingEngine.start(kjv, Engines.params(2, 64))) {
            Generation g = engine.submit(GenerationRequest.of(prompt, Sampler.GREEDY, stopping));
            GenerationResult r = await(g.result());
            assertEquals(FinishReason.STOP_STRING, r.reason());
            assertEquals(text.substring(0, text.indexOf(stop)), r.text());
            assertSameRun(lone, r, await(collect(g).done), 0, "kjv with a stop string");
        }
    }
}
