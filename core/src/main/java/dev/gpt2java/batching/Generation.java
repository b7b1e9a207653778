package dev.gpt2java.batching;

import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A request running on a {@link BatchingEngine}: its tokens as a {@link Flow.Publisher} (the JDK's reactive
 * streams: Reactor, RxJava and Mutiny adapt it; a subscriber's {@code request(n)} is honoured), its outcome as
 * a {@link CompletableFuture}.
 *
 * <p>One subscriber: it gets every token from the first, in order, on a delivery thread (never the compute
 * thread, so a slow subscriber slows only itself), then {@code onComplete}; {@code onError} if the engine
 * failed. Cancelling its subscription cancels the generation. A second subscriber gets {@code onError}
 * ({@link IllegalStateException}).
 */
public final class Generation implements Flow.Publisher<GeneratedToken> {

    private Generation() {
    }

    @Override
    public void subscribe(Flow.Subscriber<? super GeneratedToken> subscriber) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Completes when the generation ends: with its tokens, text and reason ({@code CANCELLED} and
     * {@code TIMEOUT} included); exceptionally if the engine failed. Cancelling the future cancels the generation.
     */
    public CompletableFuture<GenerationResult> result() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Ends the generation at the next step (its slot is freed then); harmless after the end. Any thread. */
    public void cancel() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Prompt tokens reused from the prompt cache (0 until the request has a slot). */
    public int cachedPromptTokens() {
        throw new UnsupportedOperationException("TODO");
    }
}
