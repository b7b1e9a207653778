package dev.gpt2java.batching;

import static dev.gpt2java.batching.Engines.Collect;
import static dev.gpt2java.batching.Engines.Pause;
import static dev.gpt2java.batching.Engines.await;
import static dev.gpt2java.batching.Engines.collect;
import static dev.gpt2java.batching.Engines.plain;
import static dev.gpt2java.batching.Engines.prompt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Generation as a Flow.Publisher: one subscriber, given no more than it asked for, every token from the first
 * even when it comes late, off the compute thread (a slow one holds up nobody else); the blocking iterator.
 */
class PublisherTest {

    static BatchingEngine engine;

    @BeforeAll
    static void start() {
        engine = BatchingEngine.start(Engines.tiny(), Engines.params(2, 16));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Generation submit(int salt, Sampler s, int maxNew) {
        return engine.submit(GenerationRequest.of(prompt(10, salt), s, plain(maxNew)));
    }

    /** A {@link Collect} that asks for tokens when the test says, and counts the tokens it was not asked for. */
    static final class Demanding extends Collect {
        final AtomicLong outstanding = new AtomicLong();
        final AtomicLong unasked = new AtomicLong();
        final CompletableFuture<Flow.Subscription> asking = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            asking.complete(s);
        }

        void request(long n) {
            outstanding.addAndGet(n);
            await(asking).request(n);
        }

        @Override
        public void onNext(GeneratedToken t) {
            if (outstanding.decrementAndGet() < 0) {
                unasked.incrementAndGet();
            }
            super.onNext(t);
        }
    }

    @Test
    void theSubscriberGetsOnlyWhatItAskedFor() {
        Generation g = submit(1, Sampler.GREEDY, 12);
        Demanding d = new Demanding();
        g.subscribe(d);
        d.request(2);
        Engines.eventually(() -> d.tokens.size() == 2, "two tokens");
        GenerationResult r = await(g.result()); // all 12 are made, 10 wait in the buffer
        assertFalse(d.done.isDone(), "complete before the buffered tokens were asked for");
        d.request(3);
        Engines.eventually(() -> d.tokens.size() == 5, "five tokens");
        d.request(100);
        await(d.done);
        assertEquals(0, d.unasked.get(), "tokens delivered without demand");
        assertArrayEquals(r.tokens(), d.tokens.stream().mapToInt(GeneratedToken::token).toArray());
    }

    @Test
    void aLateSubscriberGetsEveryTokenFromTheFirst() {
        Generation g = submit(2, Sampler.GREEDY, 6);
        GenerationResult r = await(g.result());
        List<GeneratedToken> got = await(collect(g).done);
        assertArrayEquals(r.tokens(), got.stream().mapToInt(GeneratedToken::token).toArray());
        assertEquals(r.text(), got.stream().map(GeneratedToken::text).reduce("", String::concat));
    }

    @Test
    void aSecondSubscriberIsRefused() {
        Generation g = submit(3, Sampler.GREEDY, 6);
        Collect first = collect(g);
        Collect second = collect(g);
        ExecutionException e = assertThrows(ExecutionException.class, () -> second.done.get(Engines.WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(6, await(first.done).size());
    }

    @Test
    void tokensAndResultsReachCallersOffTheComputeThread() {
        List<String> computeThreads = new CopyOnWriteArrayList<>();
        Sampler recording = (logits, history) -> {
            computeThreads.add(Thread.currentThread().getName());
            return Sampler.GREEDY.sample(logits, history);
        };
        Generation g = submit(4, recording, 5);
        Collect c = collect(g);
        CompletableFuture<String> resultThread = g.result().thenApply(r -> Thread.currentThread().getName());
        await(c.done);
        String compute = computeThreads.get(0);
        assertEquals("gpt2-batching", compute);
        assertFalse(c.threads.contains(compute), "tokens delivered on " + c.threads);
        assertTrue(!compute.equals(await(resultThread)), "the result completed on the compute thread");
    }

    @Test
    void aSlowSubscriberHoldsUpNoOtherRequest() {
        Generation slow = submit(5, Sampler.GREEDY, 8);
        CountDownLatch release = new CountDownLatch(1);
        Collect stuck = new Collect() {
            @Override
            public void onNext(GeneratedToken t) {
                super.onNext(t);
                Engines.await(release, "the release of the slow subscriber");
            }
        };
        slow.subscribe(stuck);
        // the delivery thread starts when the scheduler gets to it: wait until it sits in its first onNext
        Engines.eventually(() -> stuck.tokens.size() == 1, "the slow subscriber's first token");
        Generation other = submit(6, Sampler.GREEDY, 8);
        // both generations end while the slow subscriber still sits there
        assertEquals(FinishReason.LENGTH, await(other.result()).reason());
        assertEquals(FinishReason.LENGTH, await(slow.result()).reason());
        assertEquals(1, stuck.tokens.size());
        release.countDown();
        assertEquals(8, await(stuck.done).size());
    }

    @Test
    void askingForNoTokensIsAnErrorThatCancelsTheGeneration() {
        Pause pause = new Pause(Sampler.GREEDY, 1);
        Generation g = submit(7, pause, 100);
        pause.awaitReached();
        Demanding d = new Demanding();
        g.subscribe(d);
        d.request(0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> d.done.get(Engines.WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        pause.release();
        assertEquals(FinishReason.CANCELLED, await(g.result()).reason());
    }

    @Test
    void theBlockingIteratorYieldsTheTokensInOrder() {
        Generation g = submit(8, Sampler.GREEDY, 7);
        CompletableFuture<int[]> read = CompletableFuture.supplyAsync(() -> {
            Iterator<GeneratedToken> it = g.blockingIterator();
            List<Integer> got = new ArrayList<>();
            while (it.hasNext()) {
                got.add(it.next().token());
            }
            assertThrows(NoSuchElementException.class, it::next);
            return got.stream().mapToInt(Integer::intValue).toArray();
        }, task -> Thread.ofVirtual().start(task));
        assertArrayEquals(await(g.result()).tokens(), await(read));
    }
}
