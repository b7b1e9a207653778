package dev.gpt2java.search;

import dev.gpt2java.Session;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A generation in progress, one token per {@link #next()}: each step evaluates the previous token on the
 * session and hands the logits to a {@link GenerationState} (the rules of {@link GenerationParams}, the
 * {@link Sampler}, the text, holding back what may begin a stop string). Made by {@link Generator}.
 *
 * <p>For one thread at a time, except {@link #cancel()}, which any thread may call: the generation
 * ends before its next step. A stream that made its own session closes it when the generation ends
 * (or on {@link #close()}); one on a caller's session leaves the session open.
 */
public final class TokenStream implements Iterator<GeneratedToken>, AutoCloseable {

    private final Session session;
    private final boolean ownsSession;
    private final int seqId;
    private final GenerationState state;
    private volatile boolean cancelled;

    TokenStream(Session session, boolean ownsSession, int seqId, int[] prompt, Sampler sampler, GenerationParams params,
                Gpt2Tokenizer tokenizer) {
        this.session = session;
        this.ownsSession = ownsSession;
        this.seqId = seqId;
        this.state = new GenerationState(prompt, sampler, params, tokenizer, session.model().nCtxTrain());
    }

    /** Whether another token comes: false once the generation ended (EOS, a limit, a stop string, cancel). */
    @Override
    public boolean hasNext() {
        if (state.finishReason() == null && cancelled) {
            finish(FinishReason.CANCELLED);
        }
        return state.finishReason() == null;
    }

    /** Generates the next token. */
    @Override
    public GeneratedToken next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generation ended: " + state.finishReason());
        }
        try {
            float[] logits = state.nGenerated() == 0 ? BeamSearch.prefill(session, seqId, state.prompt())
                    : session.eval(seqId, state.lastToken());
            GeneratedToken g = state.accept(logits);
            if (state.finishReason() != null) {
                finish(state.finishReason());
            }
            return g;
        } catch (RuntimeException | Error e) {
            finish(FinishReason.CANCELLED);
            throw e;
        }
    }

    private void finish(FinishReason r) {
        state.finish(r);
        if (ownsSession) {
            session.close();
        }
    }

    /** Ends the generation before its next step; safe from any thread, harmless after the end. */
    public void cancel() {
        cancelled = true;
    }

    /** Why the generation ended, or null while it runs. */
    public FinishReason finishReason() {
        return state.finishReason();
    }

    /** The tokens generated so far (prompt excluded). */
    public int[] tokens() {
        return state.tokens();
    }

    /** The text released so far. */
    public String text() {
        return state.text();
    }

    /** The rest of the generation as a sequential {@link Stream}; closing it closes this. */
    public Stream<GeneratedToken> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /** Ends the generation (as cancelled, if it was running) and frees the session if it is the stream's own. */
    @Override
    public void close() {
        finish(FinishReason.CANCELLED);
    }
}
