package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;

import java.util.ArrayList;
import java.util.List;
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
                boolean ends = lastStep || p.isEos(c.token());
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
