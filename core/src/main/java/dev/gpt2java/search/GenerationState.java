package dev.gpt2java.search;

import dev.gpt2java.sampling.Logits;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One generation between its steps, apart from the compute: the tokens so far, the rules of
 * {@link GenerationParams} (no-repeat n-grams, min-new-tokens, EOS, stop strings, limits), the
 * {@link Sampler}, and the text released. Whoever evaluates the model (a {@link TokenStream} on its own
 * session, a batching engine with many sequences in one eval) hands each step's logits to
 * {@link #accept}; the same logits give the same tokens, whoever evaluates them.
 *
 * <p>For one thread at a time.
 */
public final class GenerationState {

    private final Sampler sampler;
    private final GenerationParams params;
    private final int[] eos;
    private final StreamingDecoder decoder;
    private final StopMatcher stops;
    private final int nPrompt;
    private final int limit;
    private final int[] history;
    private int length;
    private final StringBuilder text = new StringBuilder();
    private FinishReason reason;

    /**
     * @param prompt    1..nCtx-1 tokens
     * @param tokenizer decodes the text; null: no text (then no stop strings either)
     * @param nCtx      the model's positions: the generation ends (LENGTH) when prompt and tokens fill them
     */
    public GenerationState(int[] prompt, Sampler sampler, GenerationParams params, Gpt2Tokenizer tokenizer, int nCtx) {
        Objects.requireNonNull(prompt, "prompt");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.params = Objects.requireNonNull(params, "params");
        if (prompt.length == 0 || prompt.length >= nCtx) {
            throw new IllegalArgumentException("the prompt must hold 1.." + (nCtx - 1) + " tokens (the model has " + nCtx
                    + " positions), has " + prompt.length);
        }
        if (tokenizer == null && !params.stopStrings().isEmpty()) {
            throw new IllegalArgumentException("stop strings need a tokenizer");
        }
        this.eos = params.eosTokenIds();
        this.decoder = tokenizer == null ? null : tokenizer.streamingDecoder();
        this.stops = new StopMatcher(params.stopStrings());
        this.nPrompt = prompt.length;
        this.limit = Math.min(params.maxNewTokens(), nCtx - prompt.length);
        this.history = Arrays.copyOf(prompt, prompt.length + limit);
        this.length = prompt.length;
    }

    /**
     * Takes the model's logits after the last token (prompt or generated; changed in place by the rules and
     * the sampler), picks the next token and decodes it. After it, {@link #finishReason()} says whether the
     * generation ended with this token.
     *
     * @throws IllegalStateException if the generation ended, or the sampler returns an id outside the vocabulary
     */
    public GeneratedToken accept(float[] logits) {
        if (reason != null) {
            throw new IllegalStateException("the generation ended: " + reason);
        }
        int nGenerated = length - nPrompt;
        double[] lp = Logits.logSoftmax(logits);
        LogitRules.apply(logits, history, length, nGenerated, params.noRepeatNgramSize(), params.minNewTokens(), eos);
        int token = sampler.sample(logits, Arrays.copyOf(history, length));
        if (token < 0 || token >= lp.length) {
            throw new IllegalStateException("the sampler returned token " + token + ", not in 0.." + (lp.length - 1));
        }
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
            reason = end;
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

    /** Ends the generation for {@code why} (cancel, timeout), unless it has ended already. */
    public void finish(FinishReason why) {
        Objects.requireNonNull(why, "why");
        if (reason == null) {
            reason = why;
        }
    }

    /** Why the generation ended, or null while it runs. */
    public FinishReason finishReason() {
        return reason;
    }

    /** The prompt, a copy. */
    public int[] prompt() {
        return Arrays.copyOf(history, nPrompt);
    }

    /** The token most recently added (the last prompt token before the first step). */
    public int lastToken() {
        return history[length - 1];
    }

    /** Tokens generated so far. */
    public int nGenerated() {
        return length - nPrompt;
    }

    /** The tokens generated so far (prompt excluded). */
    public int[] tokens() {
        return Arrays.copyOfRange(history, nPrompt, length);
    }

    /** The text released so far. */
    public String text() {
        return text.toString();
    }

    /** The result so far, with {@link #finishReason()} (null while running). */
    public GenerationResult result() {
        return new GenerationResult(tokens(), text(), reason);
    }
}
