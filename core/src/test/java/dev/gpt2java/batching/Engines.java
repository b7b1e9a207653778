package dev.gpt2java.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.TokenStream;
import dev.gpt2java.testsupport.TestSupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** What the batching tests share: the fixture models, requests, a lone reference run, a pausing sampler. */
final class Engines {

    /** Every wait of these tests is bounded by this, so that nothing hangs. */
    static final long WAIT_S = 60;

    private static final Map<String, Gpt2Model> LOADED = new HashMap<>();

    private Engines() {
    }

    /** The committed F32 fixture tiny-odd-heads: vocab 1000 (999 is EOS), 128 positions, 2 layers of 3 heads. */
    static synchronized Gpt2Model tiny() {
        return LOADED.computeIfAbsent("tiny", n -> Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf")));
    }

    /** The committed default model (GPT-2's vocabulary, F16, 256 positions): for real text. */
    static synchronized Gpt2Model kjv() {
        return LOADED.computeIfAbsent("kjv", n -> {
            Path f = TestSupport.fixturesDir().getParent().resolve("models").resolve("gpt2-kjv.gguf");
            return Gpt2Model.load(f);
        });
    }

    /** Small engine parameters: 2 compute threads (the test machine's), no timeout. */
    static BatchingParams params(int slots, int prefillChunk) {
        return new BatchingParams(slots, 0, 2, 8, prefillChunk, Duration.ZERO);
    }

    /** {@code n} tokens of the tiny model's vocabulary (not EOS), varied by {@code salt}. */
    static int[] prompt(int n, int salt) {
        return IntStream.range(0, n).map(i -> (i * 37 + salt * 101 + 11) % 999).toArray();
    }

    /** maxNew tokens, no EOS and no stop string: every run has its full length. */
    static GenerationParams plain(int maxNew) {
        return new GenerationParams(maxNew, 0, new int[0], 0, List.of(), 0);
    }

    /** The reference: the run of {@code prompt} alone, with {@link Generator} on a session of its own (with the engine's flash attention). */
    static List<GeneratedToken> alone(Gpt2Model model, int[] prompt, Sampler sampler, GenerationParams p) {
        List<GeneratedToken> out = new ArrayList<>();
        // the engine's attention: flash, each sequence over its own cells
        try (Session session = model.newSession(SessionParams.defaults().withFlashAttn(true));
             TokenStream ts = Generator.stream(session, 0, prompt, sampler, p)) {
            ts.forEachRemaining(out::add);
        }
        return out;
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the future did not complete normally in " + WAIT_S + " s", e);
        }
    }

    static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), what + " did not happen in " + WAIT_S + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    /** Polls {@code condition} until it holds; fails after {@link #WAIT_S}. */
    static void eventually(Supplier<Boolean> condition, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!condition.get()) {
            if (System.nanoTime() > end) {
                fail(what + " did not happen in " + WAIT_S + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(e);
            }
        }
    }

    /**
     * The result and tokens of a batched run are the lone run's: the same tokens, text and reason; the
     * log-probabilities within {@code tol} (0: the same bits).
     */
    static void assertSameRun(List<GeneratedToken> alone, GenerationResult batched, List<GeneratedToken> streamed,
                              double tol, String what) {
        int[] expected = alone.stream().mapToInt(GeneratedToken::token).toArray();
        assertArrayEquals(expected, batched.tokens(), what + ": tokens");
        assertArrayEquals(expected, streamed.stream().mapToInt(GeneratedToken::token).toArray(), what + ": streamed tokens");
        String text = alone.stream().map(GeneratedToken::text).reduce("", String::concat);
        assertEquals(text, batched.text(), what + ": text");
        for (int i = 0; i < alone.size(); i++) {
            assertEquals(alone.get(i).text(), streamed.get(i).text(), what + ": text of token " + i);
            double d = Math.abs(alone.get(i).logprob() - streamed.get(i).logprob());
            assertTrue(d <= tol, what + ": logprob of token " + i + " differs by " + d + " (> " + tol + ")");
        }
    }

    /**
     * A sampler that plays {@code delegate} but stops on the compute thread before its {@code at}-th token
     * (0-based) until released: the whole engine waits there, so a test knows exactly which step a request
     * joins at or a cancel lands in.
     */
    static final class Pause implements Sampler {
        private final Sampler delegate;
        private final int at;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private int calls;

        Pause(Sampler delegate, int at) {
            this.delegate = delegate;
            this.at = at;
        }

        @Override
        public int sample(float[] logits, int[] history) {
            if (calls++ == at) {
                reached.countDown();
                try {
                    if (!released.await(WAIT_S, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the pause");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return delegate.sample(logits, history);
        }

        /** Waits until the engine is stopped in this sampler. */
        void awaitReached() {
            await(reached, "the pause");
        }

        void release() {
            released.countDown();
        }
    }

    /**
     * Submits {@code prompt} with {@code pause} (at its first token) and waits until the engine is held there:
     * the request has a slot, and whatever is submitted next waits for the release.
     */
    static Generation hold(BatchingEngine engine, Pause pause, int[] prompt, GenerationParams p) {
        Generation g = engine.submit(GenerationRequest.of(prompt, pause, p));
        pause.awaitReached();
        return g;
    }

    /** Subscribes a {@link Collect} to {@code g}. */
    static Collect collect(Generation g) {
        Collect c = new Collect();
        g.subscribe(c);
        return c;
    }

    /** A subscriber that asks for everything and keeps it, with the threads it was called on. */
    static class Collect implements Flow.Subscriber<GeneratedToken> {
        final List<GeneratedToken> tokens = new CopyOnWriteArrayList<>();
        /** The tokens at onComplete; exceptionally at onError. */
        final CompletableFuture<List<GeneratedToken>> done = new CompletableFuture<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile Flow.Subscription subscription;
        /** Completed by onSubscribe, which the publisher may deliver on another thread, later. */
        final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            subscribed.complete(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(GeneratedToken t) {
            threads.add(Thread.currentThread().getName());
            tokens.add(t);
        }

        @Override
        public void onError(Throwable e) {
            done.completeExceptionally(e);
        }

        @Override
        public void onComplete() {
            done.complete(List.copyOf(tokens));
        }
    }
}
