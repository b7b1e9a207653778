package dev.gpt2java.batching;

import dev.gpt2java.search.GeneratedToken;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tokens of one generation for its one subscriber. The compute thread only appends ({@link #offer},
 * {@link #complete}, {@link #fail}: never blocks, never calls the subscriber); a virtual thread of the
 * subscription delivers what the subscriber asked for, so a slow subscriber waits alone. Tokens wait in
 * the buffer until asked for (at most maxNewTokens of them): a late subscriber gets every one from the first.
 */
final class TokenPublisher {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<GeneratedToken> items = new ArrayDeque<>();
    private final Runnable onCancel;
    private boolean done;
    private Throwable failure;
    private boolean subscribed;
    private long demand;
    private boolean cancelled;
    private Throwable badRequest;

    /** @param onCancel run when the subscription is cancelled (or the subscriber breaks the protocol) */
    TokenPublisher(Runnable onCancel) {
        this.onCancel = onCancel;
    }

    void offer(GeneratedToken token) {
        signal(() -> {
            if (!cancelled) {
                items.add(token);
            }
        });
    }

    void complete() {
        signal(() -> done = true);
    }

    void fail(Throwable e) {
        signal(() -> failure = e);
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void subscribe(Flow.Subscriber<? super GeneratedToken> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        boolean first;
        lock.lock();
        try {
            first = !subscribed;
            subscribed = true;
        } finally {
            lock.unlock();
        }
        Runnable delivery = first ? () -> deliver(subscriber) : () -> refuse(subscriber);
        Thread.ofVirtual().name("gpt2-batching-delivery").start(delivery);
    }

    private static void refuse(Flow.Subscriber<? super GeneratedToken> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        subscriber.onError(new IllegalStateException("a Generation has one subscriber, and it has one already"));
    }

    private final Flow.Subscription subscription = new Flow.Subscription() {
        @Override
        public void request(long n) {
            signal(() -> {
                if (n <= 0) {
                    badRequest = new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n);
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
            });
        }

        @Override
        public void cancel() {
            cancelSubscription();
        }
    };

    private void cancelSubscription() {
        signal(() -> {
            cancelled = true;
            items.clear();
        });
        onCancel.run();
    }

    /** The delivery loop of the one subscriber, on its own virtual thread. */
    private void deliver(Flow.Subscriber<? super GeneratedToken> subscriber) {
        try {
            subscriber.onSubscribe(subscription);
            while (true) {
                GeneratedToken next = null;
                Throwable error = null;
                boolean broken = false;
                lock.lock();
                try {
                    while (!cancelled && badRequest == null && failure == null && (demand == 0 || items.isEmpty())
                            && !(done && items.isEmpty())) {
                        changed.awaitUninterruptibly();
                    }
                    if (cancelled) {
                        return;
                    }
                    if (badRequest != null || failure != null) {
                        broken = badRequest != null;
                        error = broken ? badRequest : failure;
                        cancelled = true;
                    } else if (demand > 0 && !items.isEmpty()) {
                        next = items.poll();
                        demand--;
                    }
                } finally {
                    lock.unlock();
                }
                if (next != null) {
                    subscriber.onNext(next);
                } else {
                    if (error == null) {
                        subscriber.onComplete();
                    } else {
                        if (broken) {
                            onCancel.run();
                        }
                        subscriber.onError(error);
                    }
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            // a subscriber must not throw (rule 2.13): its subscription is cancelled, and with it the generation
            cancelSubscription();
        }
    }
}
