package dev.gpt2java.search;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Sampler;

import java.util.Objects;

/**
 * Greedy search as Hugging Face's {@code generate(num_beams=1, do_sample=False)}: at each step the most
 * likely token after the no-repeat-n-gram and min-new-tokens rules (the lowest id on a tie), until an
 * EOS token (kept) or maxNewTokens.
 */
public final class GreedySearch {

    private GreedySearch() {
    }

    /**
     * Greedy search with a session of its own. Uses maxNewTokens, minNewTokens, eosTokenIds and
     * noRepeatNgramSize of {@code params} (numBeams must be 1: beam search ignores nothing else here).
     *
     * @return the generated tokens, scored by the sum of their log-probabilities (not normalized)
     */
    public static Hypothesis search(Gpt2Model model, int[] prompt, BeamSearchParams params) {
        Objects.requireNonNull(model, "model");
        BeamSearch.checkPrompt(prompt, params, model.nCtxTrain());
        try (Session session = model.newSession(sessionParams(prompt.length, params))) {
            return search(session, 0, prompt, params);
        }
    }

    /** The session {@link #search(Gpt2Model, int[], BeamSearchParams)} makes: one sequence, cells to fit. */
    static SessionParams sessionParams(int promptLength, BeamSearchParams params) {
        int nCells = promptLength + params.maxNewTokens();
        return SessionParams.defaults().withNCells(nCells).withNBatch(Math.min(nCells, 512));
    }

    /** Greedy search on sequence {@code seqId} of the caller's session (cleared first). */
    public static Hypothesis search(Session session, int seqId, int[] prompt, BeamSearchParams params) {
        Objects.requireNonNull(params, "params");
        if (params.numBeams() != 1) {
            throw new IllegalArgumentException("greedy search takes numBeams 1, was " + params.numBeams()
                    + " (use BeamSearch)");
        }
        BeamSearch.checkPrompt(prompt, params, session.model().nCtxTrain());
        session.seqClear(seqId);
        double score = 0;
        try (TokenStream ts = new TokenStream(session, false, seqId, prompt, Sampler.GREEDY, params.toGenerationParams(),
                null)) {
            while (ts.hasNext()) {
                score += ts.next().logprob();
            }
            return new Hypothesis(ts.tokens(), score);
        }
    }
}
