package dev.gpt2java.internal;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The lifetime of a handle: one scheme for every closable resource of gpt2-java (models, sessions,
 * gradients, on either engine), in the manner of onnxruntime's {@code NativeObject}.
 *
 * <ul>
 *   <li>A use runs inside {@link #call} (or between {@link #enter()} and {@link #exit()}): it throws
 *       {@link IllegalStateException} once {@link #close()} has begun, so freed memory is never touched.</li>
 *   <li>{@link #close()} refuses new uses, waits for the uses in flight on other threads, then frees the
 *       resource; a second close does nothing.</li>
 *   <li>A dependent (a session of a model) {@link #retain()}s the resource: it is freed when it is closed
 *       and its last dependent has {@link #release()}d it, whichever comes last.</li>
 * </ul>
 * A use must not close its own handle (close would wait for itself).
 */
public final class Lifetime {

    private final String what;
    private final Runnable free;

    private int inFlight;
    private int dependents;
    private boolean closed;
    private boolean freed;

    /**
     * @param what names the handle in the message of a use after close ("Gpt2Model /models/x.gguf")
     * @param free frees the resource; run once, by the thread that lets the last use or dependent go
     */
    public Lifetime(String what, Runnable free) {
        this.what = Objects.requireNonNull(what, "what");
        this.free = Objects.requireNonNull(free, "free");
    }

    /** Begins a use; {@link IllegalStateException} if closed. Pair with {@link #exit()} in a finally. */
    public synchronized void enter() {
        ensureOpen();
        inFlight++;
    }

    /** Ends a use begun by {@link #enter()}. */
    public void exit() {
        synchronized (this) {
            if (--inFlight == 0) {
                notifyAll();
            }
        }
        freeIfDone();
    }

    /** Runs {@code use} as one use of the handle. */
    public <T> T call(Supplier<T> use) {
        enter();
        try {
            return use.get();
        } finally {
            exit();
        }
    }

    /** {@link #call} for a use with no result. */
    public void run(Runnable use) {
        call(() -> {
            use.run();
            return null;
        });
    }

    /** Throws {@link IllegalStateException} if {@link #close()} has begun. */
    public synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /** Whether {@link #close()} has begun. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Adds a dependent that keeps the resource until it {@link #release()}s it; refused once closed. */
    public synchronized void retain() {
        ensureOpen();
        dependents++;
    }

    /** Lets a dependent go; the resource is freed if it is closed and this was the last. */
    public void release() {
        synchronized (this) {
            if (dependents == 0) {
                throw new IllegalStateException(what + ": release() without retain()");
            }
            dependents--;
        }
        freeIfDone();
    }

    /** Refuses new uses, waits for those in flight, frees the resource unless a dependent holds it. Idempotent. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            boolean interrupted = false;
            while (inFlight > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;     // close must not leave the resource half-closed
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        freeIfDone();
    }

    private void freeIfDone() {
        synchronized (this) {
            if (!closed || freed || inFlight > 0 || dependents > 0) {
                return;
            }
            freed = true;
        }
        free.run();
    }
}
