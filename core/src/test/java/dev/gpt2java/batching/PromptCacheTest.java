package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.alone;
import static dev.gpt2java.batching.Engines.assertSameRun;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.collect;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * A slot keeps its sequence's cells after its request: a prompt that starts like a cached sequence evaluates
 * only the rest, and still gets the tokens of its lone run.
 */
class PromptCacheTest {

    static final GenerationParams P = plain(10);

    static Gpt2Model model() {
        return Engines.tiny();
    }

    /** Counts the tokens evaluated. */
    static final class Evaluated implements StepObserver {
        final AtomicLong tokens = new AtomicLong();

        @Override
        public void onStep(int decoding, int prefilling, int n, long nanos) {
            tokens.addAndGet(n);
        }
    }

    /** Runs {@code prompt} greedily to its end and checks it against its lone run. */
    static Generation run(BatchingEngine engine, int[] prompt) {
        Generation g = engine.submit(GenerationRequest.of(prompt, Sampler.GREEDY, P));
        GenerationResult r = await(g.result());
        assertSameRun(alone(model(), prompt, Sampler.GREEDY, P), r, await(collect(g).done),
                TokensMatchALoneGeneratorTest.TOL, "a prompt of " + prompt.length + " tokens, " + g.cachedPromptTokens()
                        + " of them cached");
        return g;
    }

    static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    @Test
    void aRepeatedPromptReusesItsCellsAndGetsTheSameTokens() {
        int[] prompt = prompt(40, 1);
        Evaluated evaluated = new Evaluated();
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(2, 16), evaluated)) {
            Generation first = run(engine, prompt);
            assertEquals(0, first.cachedPromptTokens());
            assertEquals(40 + 9, evaluated.tokens.get(), "the prompt, then each token but the last");
            Generation again = run(engine, prompt);
            assertEquals(39, again.cachedPromptTokens(), "all but the last prompt token, evaluated for its logits");
            assertEquals(40 + 9 + 1 + 9, evaluated.tokens.get(), "the second run evaluates one prompt token");
            assertArrayEquals(await(first.result()).tokens(), await(again.result()).tokens());
            BatchingMetrics m = engine.metrics();
            assertEquals(80, m.promptTokens());
            assertEquals(39, m.cachedPromptTokens());
        }
    }

    @Test
    void aPromptSharingAPrefixEvaluatesOnlyItsOwnTail() {
        int[] p = prompt(40, 2);
        int[] q = concat(Arrays.copyOf(p, 25), prompt(12, 3));
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(2, 16))) {
            run(engine, p);
            assertEquals(25, run(engine, q).cachedPromptTokens());
        }
    }

    @Test
    void aFollowUpTurnReusesThePromptAndTheAnswer() {
        int[] p = prompt(20, 4);
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(1, 16))) {
            int[] answer = await(run(engine, p).result()).tokens();
            int[] next = concat(concat(p, answer), prompt(5, 5));
            // the cells hold the prompt and every answer token but the last (it was never evaluated)
            assertEquals(p.length + answer.length - 1, run(engine, next).cachedPromptTokens());
        }
    }

    @Test
    void theLeastRecentlyUsedSequenceIsEvictedFirst() {
        int[] a = prompt(20, 6);
        int[] b = prompt(20, 7);
        int[] c = prompt(20, 8);
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(2, 16))) {
            run(engine, a);
            run(engine, b);
            run(engine, c); // takes a's slot
            assertEquals(19, run(engine, b).cachedPromptTokens());
            assertEquals(0, run(engine, a).cachedPromptTokens());
            assertEquals(19, run(engine, b).cachedPromptTokens());
        }
    }

    @Test
    void aNewRequestCopiesThePrefixOfARunningOne() {
        int[] p = prompt(30, 9);
        int[] q = concat(Arrays.copyOf(p, 22), prompt(6, 10));
        try (BatchingEngine engine = BatchingEngine.start(model(), Engines.params(2, 64))) {
            Pause pause = new Pause(Sampler.GREEDY, 3);
            Generation a = engine.submit(GenerationRequest.of(p, pause, P));
            pause.awaitReached();
            Generation b = engine.submit(GenerationRequest.of(q, Sampler.GREEDY, P));
            pause.release();
            assertSameRun(alone(model(), q, Sampler.GREEDY, P), await(b.result()), await(collect(b).done),
                    TokensMatchALoneGeneratorTest.TOL, "the copy");
            assertEquals(22, b.cachedPromptTokens());
            assertSameRun(alone(model(), p, Sampler.GREEDY, P), await(a.result()), await(collect(a).done),
                    TokensMatchALoneGeneratorTest.TOL, "the running one");
        }
    }
}
