package dev.gpt2java.search;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Logits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Beam search with the semantics of Hugging Face's {@code generate(num_beams > 1, do_sample=False)}
 * (transformers 5): the same tokens and the same {@code sequences_scores}.
 *
 * <p>Each step: the log-softmax of every running beam's logits (after the no-repeat-n-gram and
 * min-new-tokens rules), plus the beam's running score, gives {@code numBeams × nVocab} candidates;
 * the best {@code K = max(2, 1 + #eos) · numBeams} are kept. A candidate that ends with EOS, or reaches
 * {@code maxNewTokens}, and ranks among the first {@code numBeams}, becomes a finished hypothesis
 * scored {@code sum / length^lengthPenalty} (length: generated tokens, EOS included); the best
 * {@code numBeams} finished ones are kept. The best {@code numBeams} candidates that did not end are
 * the next running beams. The search stops when every candidate ended (maxNewTokens), or once
 * {@code numBeams} hypotheses are finished and either {@link EarlyStopping#TRUE}, or the best running
 * beam normalized by its current length ({@link EarlyStopping#NEVER} with a positive penalty:
 * by maxNewTokens) is no better than the worst finished one.
 *
 * <p>The beams are sequences of one {@link Session}: running beam {@code j} lives in sequence
 * {@code j} or {@code numBeams + j} (the halves swap each step); a step forks the chosen parents with
 * {@link Session#seqCopy} (cells shared, not copied), clears the old half and evaluates the new tokens of
 * all beams in one {@link Batch}.
 */
public final class BeamSearch {

    private BeamSearch() {
    }

    /**
     * Searches with a session of its own ({@link #sessionParams}; numBeams 1: greedy search's), closed
     * before it returns.
     *
     * @return up to {@code numReturnSequences} hypotheses, best first
     */
    public static List<Hypothesis> search(Gpt2Model model, int[] prompt, BeamSearchParams params) {
        return search(model, prompt, params, BeamObserver.NONE);
    }

    /**
     * As {@link #search(Gpt2Model, int[], BeamSearchParams)}, showing each step to {@code observer}
     * (numBeams 1 is greedy search: no steps).
     */
    public static List<Hypothesis> search(Gpt2Model model, int[] prompt, BeamSearchParams params,
                                          BeamObserver observer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(observer, "observer");
        checkPrompt(prompt, params, model.nCtxTrain());
        SessionParams own = params.numBeams() == 1 ? GreedySearch.sessionParams(prompt.length, params)
                : sessionParams(prompt.length, params);
        try (Session session = model.newSession(own)) {
            return search(session, prompt, params, observer);
        }
    }

    /**
     * Searches on {@code session}, using (and first clearing) its sequences {@code 0 .. 2·numBeams-1};
     * the session needs {@code nSeqMax >= 2·numBeams} (numBeams 1: greedy on sequence 0) and KV cells
     * for the prompt plus {@code numBeams · maxNewTokens} tokens.
     */
    public static List<Hypothesis> search(Session session, int[] prompt, BeamSearchParams params) {
        return search(session, prompt, params, BeamObserver.NONE);
    }

    /**
     * As {@link #search(Session, int[], BeamSearchParams)}, showing each step to {@code observer}
     * (numBeams 1 is greedy search: no steps).
     */
    public static List<Hypothesis> search(Session session, int[] prompt, BeamSearchParams params,
                                          BeamObserver observer) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(params, "params");
        checkPrompt(prompt, params, session.model().nCtxTrain());
        if (params.numBeams() == 1) {
            return List.of(GreedySearch.search(session, 0, prompt, params));
        }
        int nSeqMax = session.params().nSeqMax();
        if (nSeqMax < 2 * params.numBeams()) {
            throw new IllegalArgumentException("beam search with " + params.numBeams() + " beams needs a session with nSeqMax >= "
                    + 2 * params.numBeams() + ", has " + nSeqMax);
        }
        return new Run(session, prompt, params, observer).search();
    }

    /** The session {@link #search(Gpt2Model, int[], BeamSearchParams)} makes: 2·numBeams sequences, cells to fit. */
    public static SessionParams sessionParams(int promptLength, BeamSearchParams params) {
        int beams = params.numBeams();
        long cells = promptLength + (long) beams * (params.maxNewTokens() + 1L);
        if (cells > SessionParams.MAX_CELLS) {
            throw new IllegalArgumentException("beam search with " + beams + " beams of up to " + params.maxNewTokens()
                    + " new tokens after " + promptLength + " needs " + cells + " KV cells, more than a session holds ("
                    + SessionParams.MAX_CELLS + ")");
        }
        int nCells = (int) cells;
        return SessionParams.defaults().withNSeqMax(Math.max(1, 2 * beams)).withNCells(nCells)
                .withNBatch(Math.min(nCells, 512));
    }

    static void checkPrompt(int[] prompt, BeamSearchParams params, int nCtxTrain) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt must hold at least one token");
        }
        if ((long) prompt.length + params.maxNewTokens() > nCtxTrain) {
            throw new IllegalArgumentException("prompt (" + prompt.length + " tokens) + maxNewTokens (" + params.maxNewTokens()
                    + ") must fit the model's " + nCtxTrain + " positions");
        }
    }

    /**
     * Appends {@code prompt} to sequence {@code seqId} of {@code session}, evaluated in chunks of the
     * session's nBatch (a prompt may be longer than one eval takes); returns the logits after its last
     * token.
     */
    public static float[] prefill(Session session, int seqId, int[] prompt) {
        int nBatch = session.params().nBatch();
        float[] logits = null;
        for (int start = 0; start < prompt.length; start += nBatch) {
            logits = session.eval(seqId, Arrays.copyOfRange(prompt, start, Math.min(prompt.length, start + nBatch)));
        }
        return logits;
    }

    /** A candidate continuation: parent beam, token, accumulated log-probability. */
    private record Candidate(int beam, int token, double score) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingInt(Candidate::beam).thenComparingInt(Candidate::token);

    /** One search: its beams, running and finished. */
    private static final class Run {
        final Session session;
        final int[] prompt;
        final BeamSearchParams p;
        final int nBeams;
        final int nKeep;
        final int[] eos;
        final BeamObserver observer;

        /** Running beams: generated tokens, accumulated log-probability; 1 beam before the first step. */
        int[][] runTokens;
        double[] runScores;
        float[][] runLogits;
        /** Sequence of running beam j: half * nBeams + j. */
        int half;
        final List<Hypothesis> finished = new ArrayList<>();

        Run(Session session, int[] prompt, BeamSearchParams p, BeamObserver observer) {
            this.session = session;
            this.observer = observer;
            this.prompt = prompt.clone();
            this.p = p;
            this.nBeams = p.numBeams();
            this.eos = p.eosTokenIds();
            this.nKeep = Math.max(2, 1 + eos.length) * nBeams;
        }

        List<Hypothesis> search() {
            for (int s = 0; s < 2 * nBeams; s++) {
                session.seqClear(s);
            }
            // all beams start as the prompt; HF gives beams 1.. a score of -1e9, so the first step only
            // expands beam 0
            runTokens = new int[][] {new int[0]};
            runScores = new double[] {0};
            runLogits = new float[][] {prefill(session, 0, prompt)};
            half = 0;
            int[] history = Arrays.copyOf(prompt, prompt.length + p.maxNewTokens());
            for (int generated = 0; ; ) {
                // candidates: the best nKeep over all running beams
                List<Candidate> cands = new ArrayList<>();
                for (int b = 0; b < runTokens.length; b++) {
                    double[] lp = Logits.logSoftmax(runLogits[b]);
                    System.arraycopy(runTokens[b], 0, history, prompt.length, generated);
                    LogitRules.apply(lp, history, prompt.length + generated, generated, p.noRepeatNgramSize(),
                            p.minNewTokens(), eos);
                    topInto(cands, b, lp, runScores[b]);
                }
                cands.sort(BEST_FIRST);
                if (cands.size() > nKeep) {
                    cands = new ArrayList<>(cands.subList(0, nKeep));
                }
                boolean lastStep = generated + 1 >= p.maxNewTokens();
                List<Candidate> next = new ArrayList<>(nBeams);
                boolean allEnded = true;
                boolean observed = observer != BeamObserver.NONE;
                List<BeamCandidate> seen = observed ? new ArrayList<>(cands.size()) : null;
                for (int i = 0; i < cands.size(); i++) {
                    Candidate c = cands.get(i);
                    boolean ends = lastStep || Limits.isEos(eos, c.token());
                    if (ends && i < nBeams) {
                        int[] toks = Arrays.copyOf(runTokens[c.beam()], generated + 1);
                        toks[generated] = c.token();
                        double normalized = c.score() / Math.pow(generated + 1, p.lengthPenalty());
                        finished.add(new Hypothesis(toks, normalized));
                        if (observed) {
                            seen.add(new BeamCandidate(i, c.beam(), c.token(), c.score(),
                                    BeamCandidate.Fate.FINISHED, -1, normalized));
                        }
                    } else if (!ends && next.size() < nBeams) {
                        if (observed) {
                            seen.add(new BeamCandidate(i, c.beam(), c.token(), c.score(),
                                    BeamCandidate.Fate.KEPT, next.size(), Double.NaN));
                        }
                        next.add(c);
                    } else if (observed) {
                        seen.add(new BeamCandidate(i, c.beam(), c.token(), c.score(),
                                BeamCandidate.Fate.PRUNED, -1, Double.NaN));
                    }
                    allEnded &= ends;
                }
                if (observed) {
                    List<BeamStep.Beam> parents = new ArrayList<>(runTokens.length);
                    for (int b = 0; b < runTokens.length; b++) {
                        parents.add(new BeamStep.Beam(runTokens[b], runScores[b]));
                    }
                    observer.step(new BeamStep(generated, parents, seen));
                }
                finished.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
                while (finished.size() > nBeams) {
                    finished.removeLast();
                }
                generated++;
                if (allEnded || next.isEmpty() || done(next.getFirst().score(), generated)) {
                    break;
                }
                advance(next, generated);
            }
            return List.copyOf(finished.subList(0, Math.min(p.numReturnSequences(), finished.size())));
        }

        /** HF's stopping test once numBeams hypotheses are finished. */
        boolean done(double bestRunning, int generated) {
            if (finished.size() < nBeams) {
                return false;
            }
            if (p.earlyStopping() == EarlyStopping.TRUE) {
                return true;
            }
            int len = p.earlyStopping() == EarlyStopping.NEVER && p.lengthPenalty() > 0 ? p.maxNewTokens() : generated;
            double bestPossible = bestRunning / Math.pow(len, p.lengthPenalty());
            return !(bestPossible > finished.getLast().score());
        }

        /** Forks the chosen parents into the other half, frees the old half, evaluates the new tokens. */
        void advance(List<Candidate> next, int generated) {
            int from = half * nBeams;
            int to = (1 - half) * nBeams;
            int n = next.size();
            for (int j = 0; j < n; j++) {
                session.seqCopy(from + next.get(j).beam(), to + j);
            }
            for (int j = 0; j < nBeams; j++) {
                session.seqClear(from + j);
            }
            Batch.Builder batch = Batch.builder();
            int[][] tokens = new int[n][];
            double[] scores = new double[n];
            for (int j = 0; j < n; j++) {
                Candidate c = next.get(j);
                tokens[j] = Arrays.copyOf(runTokens[c.beam()], generated);
                tokens[j][generated - 1] = c.token();
                scores[j] = c.score();
                batch.add(c.token(), to + j, true);
            }
            int rows = session.eval(batch.build());
            if (rows != n) {
                throw new IllegalStateException("eval of " + n + " beams gave " + rows + " rows of logits");
            }
            float[][] logits = new float[n][];
            for (int j = 0; j < n; j++) {
                logits[session.outputTokenIndex(j)] = session.logits(j);
            }
            runTokens = tokens;
            runScores = scores;
            runLogits = logits;
            half = 1 - half;
        }

        /** Adds beam b's best nKeep candidates (the lower id first among equal ones), none of them banned. */
        private void topInto(List<Candidate> out, int b, double[] lp, double base) {
            for (int t : Logits.topK(lp, nKeep)) {
                if (!(lp[t] > Double.NEGATIVE_INFINITY)) {
                    break; // the rest is banned (-inf) too: topK puts it last
                }
                out.add(new Candidate(b, t, base + lp[t]));
            }
        }
    }
}
