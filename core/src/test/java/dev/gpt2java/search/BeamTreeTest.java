package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The beam tree an observer records: its kept and finished candidates are the search's own. */
class BeamTreeTest {

    static int[] prompt() {
        return Models.tiny().tokenizer().encode("Once upon a time");
    }

    /** EOS ids that surely end beams early: the two best tokens of the second step of a search without EOS. */
    static int[] frequentTokens() {
        BeamSearchParams p = new BeamSearchParams(3, 1.0, EarlyStopping.FALSE, 1, 0, 4, 0, new int[0]);
        BeamTree tree = BeamTree.search(Models.tiny(), prompt(), p).tree();
        List<BeamCandidate> c = tree.steps().get(1).candidates();
        return new int[] {c.get(0).token(), c.get(1).token()};
    }

    static Stream<Arguments> params() {
        int eos = Models.tiny().eosToken();
        int[] frequent = frequentTokens();
        return Stream.of(
                Arguments.of(new BeamSearchParams(2, 1.0, EarlyStopping.FALSE, 2, 0, 6, 0, new int[] {eos})),
                Arguments.of(new BeamSearchParams(4, 1.0, EarlyStopping.NEVER, 3, 0, 8, 0, new int[] {eos})),
                Arguments.of(new BeamSearchParams(3, 0.5, EarlyStopping.FALSE, 3, 0, 8, 0, frequent)),
                Arguments.of(new BeamSearchParams(3, 2.0, EarlyStopping.TRUE, 2, 0, 8, 0, frequent)),
                Arguments.of(new BeamSearchParams(3, -1.0, EarlyStopping.NEVER, 3, 2, 7, 1, frequent)),
                Arguments.of(new BeamSearchParams(5, 1.0, EarlyStopping.FALSE, 5, 0, 5, 0, new int[0])));
    }

    @ParameterizedTest
    @MethodSource("params")
    void theTreesFinishedHypothesesAreWhatTheSearchReturned(BeamSearchParams p) {
        Gpt2Model m = Models.tiny();
        BeamTree.Result r = BeamTree.search(m, prompt(), p);
        List<Hypothesis> fromTree = r.tree().hypotheses();
        assertFalse(r.hypotheses().isEmpty());
        assertEquals(r.hypotheses().size(), fromTree.size());
        for (int i = 0; i < fromTree.size(); i++) {
            assertArrayEquals(r.hypotheses().get(i).tokens(), fromTree.get(i).tokens(), "hypothesis " + i);
            assertEquals(r.hypotheses().get(i).score(), fromTree.get(i).score(), 1e-9, "hypothesis " + i);
        }
        // observing changes nothing
        assertEquals(BeamSearch.search(m, prompt(), p), r.hypotheses());
    }

    @ParameterizedTest
    @MethodSource("params")
    void eachStepRanksKCandidatesAndKeepsAsHuggingFaceDoes(BeamSearchParams p) {
        BeamTree tree = BeamTree.search(Models.tiny(), prompt(), p).tree();
        int nBeams = p.numBeams();
        int k = Math.max(2, 1 + p.eosTokenIds().length) * nBeams;
        List<BeamStep> steps = tree.steps();
        assertFalse(steps.isEmpty());
        assertTrue(steps.size() <= p.maxNewTokens());
        for (int s = 0; s < steps.size(); s++) {
            BeamStep step = steps.get(s);
            String at = "step " + s;
            assertEquals(s, step.index(), at);
            assertEquals(s == 0 ? 1 : nBeams, step.beams().size(), at);
            for (BeamStep.Beam b : step.beams()) {
                assertEquals(s, b.tokens().length, at);
            }
            List<BeamCandidate> cands = step.candidates();
            assertEquals(k, cands.size(), at);
            boolean lastStep = s + 1 >= p.maxNewTokens();
            int kept = 0;
            int finished = 0;
            int nonEnding = 0;
            for (int i = 0; i < cands.size(); i++) {
                BeamCandidate c = cands.get(i);
                assertEquals(i, c.rank(), at);
                if (i > 0) {
                    assertTrue(c.score() <= cands.get(i - 1).score(), at + ": ranked best first");
                }
                assertTrue(c.beam() >= 0 && c.beam() < step.beams().size(), at + ": parent beam");
                assertTrue(c.score() <= step.beams().get(c.beam()).score(), at + ": a log-probability is <= 0");
                boolean ends = lastStep || Limits.isEos(p.eosTokenIds(), c.token());
                BeamCandidate.Fate expected;
                if (ends) {
                    expected = i < nBeams ? BeamCandidate.Fate.FINISHED : BeamCandidate.Fate.PRUNED;
                } else {
                    expected = nonEnding < nBeams ? BeamCandidate.Fate.KEPT : BeamCandidate.Fate.PRUNED;
                    nonEnding++;
                }
                assertEquals(expected, c.fate(), at + " rank " + i);
                switch (c.fate()) {
                    case KEPT -> {
                        assertEquals(kept, c.nextBeam(), at);
                        kept++;
                        assertTrue(Double.isNaN(c.normalizedScore()), at);
                    }
                    case FINISHED -> {
                        finished++;
                        assertEquals(-1, c.nextBeam(), at);
                        assertEquals(c.score() / Math.pow(s + 1, p.lengthPenalty()), c.normalizedScore(), 1e-12, at);
                    }
                    case PRUNED -> assertEquals(-1, c.nextBeam(), at);
                }
            }
            assertEquals(Math.min(nBeams, nonEnding), kept, at);
            assertTrue(finished <= nBeams, at);
            assertTrue(kept + finished >= Math.min(nBeams, k), at + ": the first numBeams are kept or finished");
            // the kept candidates are the next step's beams, in order
            if (s + 1 < steps.size()) {
                List<BeamStep.Beam> nextBeams = steps.get(s + 1).beams();
                for (BeamCandidate c : cands) {
                    if (c.fate() == BeamCandidate.Fate.KEPT) {
                        BeamStep.Beam b = nextBeams.get(c.nextBeam());
                        assertArrayEquals(step.tokensOf(c), b.tokens(), at);
                        assertEquals(c.score(), b.score(), at);
                    }
                }
            }
        }
    }

    /**
     * What the search returned is what the tree shows: every returned sequence is a path of kept beams (each
     * of its prefixes a running beam of that step) ending in a finished candidate with the returned score,
     * and every beam's and every kept or finished candidate's score is the log-probability of its tokens
     * after the prompt, computed again here from one fresh evaluation of prompt + tokens.
     */
    @ParameterizedTest
    @MethodSource("params")
    void keptBeamsAndScoresAreTheReturnedSequencesAndTheirLogProbabilities(BeamSearchParams p) {
        Gpt2Model m = Models.tiny();
        int[] prompt = prompt();
        BeamTree.Result r = BeamTree.search(m, prompt, p);
        List<BeamStep> steps = r.tree().steps();
        for (Hypothesis h : r.hypotheses()) {
            int[] t = h.tokens();
            assertTrue(t.length >= 1 && t.length <= steps.size(), "hypothesis length " + t.length);
            for (int s = 1; s < t.length; s++) {
                int[] prefix = Arrays.copyOf(t, s);
                assertTrue(steps.get(s).beams().stream().anyMatch(b -> Arrays.equals(prefix, b.tokens())),
                        "step " + s + " has no running beam " + Arrays.toString(prefix) + " of " + Arrays.toString(t));
            }
            BeamStep last = steps.get(t.length - 1);
            assertTrue(last.candidates().stream().anyMatch(c -> c.fate() == BeamCandidate.Fate.FINISHED
                            && Arrays.equals(t, last.tokensOf(c)) && c.normalizedScore() == h.score()),
                    "no finished candidate " + Arrays.toString(t) + " with score " + h.score());
        }
        List<int[]> scored = new ArrayList<>();
        for (BeamStep step : steps) {
            step.beams().forEach(b -> scored.add(b.tokens()));
            step.candidates().stream().filter(c -> c.fate() != BeamCandidate.Fate.PRUNED)
                    .forEach(c -> scored.add(step.tokensOf(c)));
        }
        Map<List<Integer>, Double> logP = logProbabilities(m, prompt, scored);
        double worst = 0;
        for (BeamStep step : steps) {
            for (BeamStep.Beam b : step.beams()) {
                worst = Math.max(worst, Math.abs(logP.get(key(b.tokens())) - b.score()));
            }
            for (BeamCandidate c : step.candidates()) {
                if (c.fate() != BeamCandidate.Fate.PRUNED) {
                    double lp = logP.get(key(step.tokensOf(c)));
                    worst = Math.max(worst, Math.abs(lp - c.score()));
                    if (c.fate() == BeamCandidate.Fate.FINISHED) {
                        double norm = lp / Math.pow(step.index() + 1, p.lengthPenalty());
                        assertEquals(norm, c.normalizedScore(), 1e-4, "normalized score at step " + step.index());
                    }
                }
            }
        }
        System.out.printf("beam tree: %d beam and candidate scores vs log-probabilities recomputed: max diff %.3g%n",
                scored.size(), worst);
        assertTrue(worst <= 1e-4, "max |score - log p(tokens | prompt)| = " + worst);
    }

    private static List<Integer> key(int[] tokens) {
        return Arrays.stream(tokens).boxed().toList();
    }

    /**
     * log p(tokens | prompt) of each sequence and of each of its prefixes: one batch with prompt + sequence
     * as a sequence of its own (prefixes of another sequence left out), logits at every position, a
     * double-precision log-softmax per position.
     */
    static Map<List<Integer>, Double> logProbabilities(Gpt2Model m, int[] prompt, List<int[]> sequences) {
        List<int[]> longest = new ArrayList<>();
        for (int[] t : sequences) {
            boolean covered = sequences.stream().anyMatch(o -> o.length > t.length
                    && Arrays.equals(t, Arrays.copyOf(o, t.length)))
                    || longest.stream().anyMatch(o -> Arrays.equals(o, t));
            if (!covered) {
                longest.add(t);
            }
        }
        int cells = 0;
        Batch.Builder batch = Batch.builder();
        for (int i = 0; i < longest.size(); i++) {
            int[] t = longest.get(i);
            int[] all = Arrays.copyOf(prompt, prompt.length + t.length);
            System.arraycopy(t, 0, all, prompt.length, t.length);
            batch.addAllLogits(i, all);
            cells += all.length;
        }
        Map<List<Integer>, Double> out = new HashMap<>();
        SessionParams sp = SessionParams.defaults().withNSeqMax(longest.size()).withNCells(cells).withNBatch(cells);
        try (Session s = m.newSession(sp)) {
            s.eval(batch.build());
            int row = 0;
            for (int[] t : longest) {
                double sum = 0;
                out.put(List.of(), 0.0);
                for (int i = 0; i < t.length; i++) {
                    float[] logits = s.logits(row + prompt.length - 1 + i);
                    double max = Double.NEGATIVE_INFINITY;
                    for (float x : logits) {
                        max = Math.max(max, x);
                    }
                    double z = 0;
                    for (float x : logits) {
                        z += Math.exp(x - max);
                    }
                    sum += logits[t[i]] - max - Math.log(z);
                    out.put(key(Arrays.copyOf(t, i + 1)), sum);
                }
                row += prompt.length + t.length;
            }
        }
        return out;
    }

    @Test
    void theSessionOverloadSeesTheSameSteps() {
        Gpt2Model m = Models.tiny();
        BeamSearchParams p = new BeamSearchParams(3, 1.0, EarlyStopping.NEVER, 3, 0, 6, 0, frequentTokens());
        BeamTree own = BeamTree.search(m, prompt(), p).tree();
        List<BeamStep> steps = new ArrayList<>();
        List<Hypothesis> found;
        try (Session session = m.newSession(BeamSearch.sessionParams(prompt().length, p))) {
            found = BeamSearch.search(session, prompt(), p, steps::add);
        }
        assertEquals(own.steps(), steps);
        assertEquals(new BeamTree(prompt(), p, steps).hypotheses(), found);
        assertEquals(own.candidateCount(), steps.stream().mapToInt(s -> s.candidates().size()).sum());
        // the EOS ids end beams before the last step: the tree shows finished hypotheses early
        assertTrue(steps.subList(0, steps.size() - 1).stream().flatMap(s -> s.candidates().stream())
                .anyMatch(c -> c.fate() == BeamCandidate.Fate.FINISHED), "an early finished hypothesis");
    }

    @Test
    void greedyHasNoSteps() {
        BeamSearchParams p = new BeamSearchParams(1, 1.0, EarlyStopping.FALSE, 1, 0, 4, 0, new int[0]);
        BeamTree.Result r = BeamTree.search(Models.tiny(), prompt(), p);
        assertTrue(r.tree().steps().isEmpty());
        assertEquals(BeamSearch.search(Models.tiny(), prompt(), p), r.hypotheses());
    }
}
