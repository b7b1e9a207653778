package dev.gpt2java.batching;

import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.GenerationState;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A request running on a {@link BatchingEngine}: its tokens as a {@link Flow.Publisher} (the JDK's reactive
 * streams: Reactor, RxJava and Mutiny adapt it; a subscriber's {@code request(n)} is honoured), its outcome as
 * a {@link CompletableFuture}.
 *
 * <p>One subscriber: it gets every token from the first, in order, on a delivery thread (never the compute
 * thread, so a slow subscriber slows only itself), then {@code onComplete}; {@code onError} if the engine
 * failed (tokens not yet delivered are dropped). Cancelling its subscription cancels the generation, and so
 * does a subscriber that throws or asks for {@code n <= 0} tokens (rule 3.9: it gets {@code onError}). A second
 * subscriber gets {@code onError} ({@link IllegalStateException}).
 */
public final class Generation implements Flow.Publisher<GeneratedToken> {

    private final Runnable wake;
    /** The prompt (the request's copy). */
    final int[] prompt;
    /** The rules, sampler and text: compute thread only. */
    final GenerationState state;
    private final long submittedAt;
    private final long timeoutNanos;
    private final TokenPublisher tokens;
    private final ResultFuture result = new ResultFuture();
    private volatile boolean cancelled;
    private volatile int cachedPromptTokens;
    private boolean ended;

    /**
     * @param submittedAt  {@link System#nanoTime()} at submission
     * @param timeoutNanos the time it has from then; 0: no limit
     * @param wake         tells the engine that something changed (a cancel)
     */
    Generation(int[] prompt, GenerationState state, long submittedAt, long timeoutNanos, Runnable wake) {
        this.prompt = prompt;
        this.state = state;
        this.submittedAt = submittedAt;
        this.timeoutNanos = timeoutNanos;
        this.wake = wake;
        this.tokens = new TokenPublisher(this::cancel);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super GeneratedToken> subscriber) {
        tokens.subscribe(subscriber);
    }

    /**
     * Completes when the generation ends: with its tokens, text and reason ({@code CANCELLED} and
     * {@code TIMEOUT} included); exceptionally if the engine failed. Cancelling the future cancels the
     * generation. Its dependent actions never run on the compute thread.
     */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Ends the generation at the next step (its slot is freed then); harmless after the end. Any thread. */
    public void cancel() {
        cancelled = true;
        wake.run();
    }

    /** Prompt tokens reused from the prompt cache (0 until the request has a slot). */
    public int cachedPromptTokens() {
        return cachedPromptTokens;
    }

    /**
     * The tokens as a blocking iterator, for a caller on a virtual thread: {@code hasNext()} waits for the next
     * token or the end. It is the generation's one subscriber, asking for one token at a time. Stopping early
     * does not end the generation: {@link #cancel()} does.
     *
     * <p>{@code hasNext()} throws {@link java.util.concurrent.CompletionException} (as {@code join()}) with the
     * engine's failure; interrupted while waiting, it cancels the generation, keeps the interrupt status and
     * throws {@link java.util.concurrent.CancellationException}.
     */
    public Iterator<GeneratedToken> blockingIterator() {
        BlockingTokens it = new BlockingTokens(this::cancel);
        subscribe(it);
        return it;
    }

    // ---------------------------------------------------------------------------------------------
    // the engine's side, on its compute thread
    // ---------------------------------------------------------------------------------------------

    boolean cancelled() {
        return cancelled;
    }

    /** Whether its deadline has passed at {@code now} ({@link System#nanoTime()}). */
    boolean expired(long now) {
        return timeoutNanos > 0 && now - submittedAt >= timeoutNanos;
    }

    void cachedPromptTokens(int n) {
        cachedPromptTokens = n;
    }

    boolean ended() {
        return ended;
    }

    void emit(GeneratedToken token) {
        tokens.offer(token);
    }

    /** Ends it for {@code why} (unless {@link #state} ended first) and completes the publisher and the future. */
    void end(FinishReason why) {
        state.finish(why);
        end();
    }

    /** Completes the publisher and the future with the state's result (its reason set). */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        GenerationResult r = state.result();
        tokens.complete();
        result.completeAsync(() -> r, BatchingEngine.DELIVERY);
    }

    /** Ends it with {@code e}: the future completes exceptionally, the subscriber gets onError. */
    void fail(Throwable e) {
        if (ended) {
            return;
        }
        ended = true;
        tokens.fail(e);
        BatchingEngine.DELIVERY.execute(() -> result.completeExceptionally(e));
    }

    /** The future of {@link #result()}: cancelling it cancels the generation. */
    private final class ResultFuture extends CompletableFuture<GenerationResult> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Generation.this.cancel();
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
