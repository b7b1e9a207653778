package dev.gpt2java.search;

import dev.gpt2java.Session;
import dev.gpt2java.sampling.Logits;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A generation in progress, one token per {@link #next()}: each step evaluates the previous token,
 * applies the rules of {@link GenerationParams} (no-repeat n-grams, min-new-tokens) to a copy of the
 * logits, lets the {@link Sampler} pick, and decodes the token into text, holding back what may begin a
 * stop string. Made by {@link Generator}.
 *
 * <p>For one thread at a time, except {@link #cancel()}, which any thread may call: the generation
 * ends before its next step. A stream that made its own session closes it when the generation ends
 * (or on {@link #close()}); one on a caller's session leaves the session open.
 */
public final class TokenStream implements Iterator<GeneratedToken>, AutoCloseable {

    private final Session session;
    private final boolean ownsSession;
    private final int seqId;
    private final Sampler sampler;
    private final GenerationParams params;
    private final int[] eos;
    private final StreamingDecoder decoder;
    private final StopMatcher stops;
    private final int nPrompt;
    private final int limit;
    private final int[] history;
    private int length;
    private float[] logits;
    private final StringBuilder text = new StringBuilder();
    private FinishReason reason;
    private volatile boolean cancelled;

    TokenStream(Session session, boolean ownsSession, int seqId, int[] prompt, Sampler sampler, GenerationParams params,
                Gpt2Tokenizer tokenizer) {
        this.session = session;
        this.ownsSession = ownsSession;
        this.seqId = seqId;
        this.sampler = sampler;
        this.params = params;
        this.eos = params.eosTokenIds();
        this.decoder = tokenizer == null ? null : tokenizer.streamingDecoder();
        if (tokenizer == null && !params.stopStrings().isEmpty()) {
            throw new IllegalArgumentException("stop strings need a tokenizer");
        }
        this.stops = new StopMatcher(params.stopStrings());
        this.nPrompt = prompt.length;
        int nCtx = session.model().nCtxTrain();
        if (prompt.length == 0 || prompt.length >= nCtx) {
            throw new IllegalArgumentException("the prompt must hold 1.." + (nCtx - 1) + " tokens (the model has " + nCtx
                    + " positions), has " + prompt.length);
        }
        this.limit = Math.min(params.maxNewTokens(), nCtx - prompt.length);
        this.history = Arrays.copyOf(prompt, prompt.length + limit);
        this.length = prompt.length;
    }

    /** Whether another token comes: false once the generation ended (EOS, a limit, a stop string, cancel). */
    @Override
    public boolean hasNext() {
        if (reason == null && cancelled) {
            finish(FinishReason.CANCELLED);
        }
        return reason == null;
    }

    /** Generates the next token. */
    @Override
    public GeneratedToken next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generation ended: " + reason);
        }
        try {
            return step();
        } catch (RuntimeException | Error e) {
            finish(FinishReason.CANCELLED);
            throw e;
        }
    }

    private GeneratedToken step() {
        int nGenerated = length - nPrompt;
        if (logits == null) {
            logits = nGenerated == 0 ? BeamSearch.prefill(session, seqId, Arrays.copyOf(history, nPrompt))
                    : session.eval(seqId, history[length - 1]);
        }
        double[] lp = Logits.logSoftmax(logits);
        float[] work = logits;
        LogitRules.apply(work, history, length, nGenerated, params.noRepeatNgramSize(), params.minNewTokens(), eos);
        int token = sampler.sample(work, Arrays.copyOf(history, length));
        if (token < 0 || token >= lp.length) {
            throw new IllegalStateException("the sampler returned token " + token + ", not in 0.." + (lp.length - 1));
        }
        logits = null;
        history[length++] = token;

        FinishReason end = null;
        String out;
        if (Limits.isEos(eos, token)) {
            end = FinishReason.EOS;
            out = "";
        } else {
            out = stops.accept(decoder == null ? "" : decoder.accept(token));
        }
        if (stops.matched()) {
            end = FinishReason.STOP_STRING;
        } else if (end == null && length - nPrompt >= limit) {
            end = FinishReason.LENGTH;
        }
        if (end != null && end != FinishReason.STOP_STRING) {
            out += stops.accept(decoder == null ? "" : decoder.flush());
            if (stops.matched()) {
                end = FinishReason.STOP_STRING;
            } else {
                out += stops.flush();
            }
        }
        text.append(out);
        GeneratedToken g = new GeneratedToken(token, out, lp[token], top(lp, params.topLogprobs()));
        if (end != null) {
            finish(end);
        }
        return g;
    }

    private static List<TokenLogprob> top(double[] lp, int k) {
        List<TokenLogprob> out = new ArrayList<>(k);
        for (int t : Logits.topK(lp, k)) {
            out.add(new TokenLogprob(t, lp[t]));
        }
        return out;
    }

    private void finish(FinishReason r) {
        if (reason == null) {
            reason = r;
        }
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
        return reason;
    }

    /** The tokens generated so far (prompt excluded). */
    public int[] tokens() {
        return Arrays.copyOfRange(history, nPrompt, length);
    }

    /** The text released so far. */
    public String text() {
        return text.toString();
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
