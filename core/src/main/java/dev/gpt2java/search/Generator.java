package dev.gpt2java.search;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Sampler;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Streaming generation with a {@link Sampler} ({@link Sampler#GREEDY} or a chain): as an iterator
 * ({@link TokenStream}, cancellable, also a {@code Stream}) or with a callback per token.
 *
 * <pre>{@code
 * GenerationParams p = GenerationParams.of(64, model.eosToken()).withStopStrings("\n\n");
 * try (TokenStream ts = Generator.stream(model, prompt, Sampler.GREEDY, p)) {
 *     while (ts.hasNext()) {
 *         System.out.print(ts.next().text());
 *     }
 * }
 * }</pre>
 */
public final class Generator {

    private Generator() {
    }

    /** A generation on a session of its own (one sequence), closed when the generation ends. */
    public static TokenStream stream(Gpt2Model model, int[] prompt, Sampler sampler, GenerationParams params) {
        Objects.requireNonNull(model, "model");
        check(prompt, sampler, params);
        int nCells = (int) Math.min(model.nCtxTrain(), (long) prompt.length + params.maxNewTokens());
        Session session = model.newSession(SessionParams.defaults().withNCells(nCells).withNBatch(Math.min(nCells, 512)));
        try {
            return new TokenStream(session, true, 0, prompt, sampler, params, model.tokenizer());
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /**
     * A generation on sequence {@code seqId} of the caller's session (cleared first; left holding prompt and
     * tokens); the session stays open. {@code model} gives the tokenizer for the text.
     */
    public static TokenStream stream(Session session, int seqId, int[] prompt, Sampler sampler, GenerationParams params) {
        Objects.requireNonNull(session, "session");
        check(prompt, sampler, params);
        session.seqClear(seqId);
        return new TokenStream(session, false, seqId, prompt, sampler, params, session.model().tokenizer());
    }

    /** Runs a generation to its end, calling {@code onToken} at each step. */
    public static GenerationResult generate(Gpt2Model model, int[] prompt, Sampler sampler, GenerationParams params,
                                            Consumer<GeneratedToken> onToken) {
        Objects.requireNonNull(onToken, "onToken");
        try (TokenStream ts = stream(model, prompt, sampler, params)) {
            while (ts.hasNext()) {
                onToken.accept(ts.next());
            }
            return new GenerationResult(ts.tokens(), ts.text(), ts.finishReason());
        }
    }

    /** As {@link #generate}, calling {@code onToken} with each token id. */
    public static GenerationResult generateTokens(Gpt2Model model, int[] prompt, Sampler sampler, GenerationParams params,
                                                  IntConsumer onToken) {
        Objects.requireNonNull(onToken, "onToken");
        return generate(model, prompt, sampler, params, g -> onToken.accept(g.token()));
    }

    private static void check(int[] prompt, Sampler sampler, GenerationParams params) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(params, "params");
    }
}
