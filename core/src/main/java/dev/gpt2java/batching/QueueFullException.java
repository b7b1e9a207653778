package dev.gpt2java.batching;

import java.util.concurrent.RejectedExecutionException;

/** A {@link BatchingEngine} refused a request: every slot is busy and its queue is full. Try again later. */
public final class QueueFullException extends RejectedExecutionException {

    private final int queueCapacity;

    public QueueFullException(int queueCapacity) {
        super("the queue is full (" + queueCapacity + " requests wait for a slot); try again later");
        this.queueCapacity = queueCapacity;
    }

    /** The engine's queue capacity. */
    public int queueCapacity() {
        return queueCapacity;
    }
}
