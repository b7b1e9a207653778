package dev.gpt2java.batching;

import dev.gpt2java.search.GeneratedToken;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@link Generation#blockingIterator()}: a subscriber that asks for one token at a time, and an iterator that
 * waits for it. For one thread at a time.
 */
final class BlockingTokens implements Iterator<GeneratedToken>, Flow.Subscriber<GeneratedToken> {

    private record Failed(Throwable cause) {
    }

    private static final Object END = new Object();

    /** Tokens, then {@link #END} or a {@link Failed}. */
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final Runnable cancel;
    private volatile Flow.Subscription subscription;
    private Object next;

    /** @param cancel cancels the generation */
    BlockingTokens(Runnable cancel) {
        this.cancel = cancel;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(GeneratedToken token) {
        signals.add(token);
    }

    @Override
    public void onError(Throwable e) {
        signals.add(new Failed(e));
    }

    @Override
    public void onComplete() {
        signals.add(END);
    }

    @Override
    public boolean hasNext() {
        try {
            if (next == null) {
                next = signals.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel.run();
            throw new CancellationException("interrupted while waiting for a token; the generation is cancelled");
        }
        if (next instanceof Failed f) {
            throw new CompletionException(f.cause());
        }
        return next != END;
    }

    @Override
    public GeneratedToken next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generation ended");
        }
        GeneratedToken t = (GeneratedToken) next;
        next = null;
        subscription.request(1);
        return t;
    }
}
