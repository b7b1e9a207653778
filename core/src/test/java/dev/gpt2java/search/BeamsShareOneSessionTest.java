package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Beams are sequences of one session, forked with seqCopy: the prompt's cells are shared, not repeated per beam. */
class BeamsShareOneSessionTest {

    static final int BEAMS = 4;
    static final int MAX_NEW = 8;
    static final int[] PROMPT = IntStream.range(0, 40).map(i -> (i * 37 + 11) % 999).toArray();

    static BeamSearchParams params() {
        return new BeamSearchParams(BEAMS, 1.0, EarlyStopping.NEVER, 2, 0, MAX_NEW, 0, new int[] {999});
    }

    @Test
    void beamsUseTwoHalvesOfOneSessionAndShareThePrompt() {
        Gpt2Model model = Models.tiny();
        SessionParams sp = BeamSearch.sessionParams(PROMPT.length, params());
        assertEquals(2 * BEAMS, sp.nSeqMax());
        try (Session session = model.newSession(sp)) {
            List<Hypothesis> shared = BeamSearch.search(session, PROMPT, params());
            int used = session.kvUsedCells();
            // one copy of the prompt plus at most one cell per beam and step; separate sessions would
            // hold the prompt once per beam
            assertTrue(used <= PROMPT.length + BEAMS * MAX_NEW, "cells in use " + used);
            assertTrue(used < BEAMS * PROMPT.length, "cells in use " + used + " vs " + BEAMS * PROMPT.length
                    + " for separate sessions");
            // the beams' sequences hold prompt + the tokens of their step
            int longest = 0;
            for (int s = 0; s < 2 * BEAMS; s++) {
                longest = Math.max(longest, session.seqLength(s));
            }
            assertTrue(longest > PROMPT.length && longest <= PROMPT.length + MAX_NEW, "longest beam " + longest);
            // the same answer as a search on its own session
            assertEquals(shared, BeamSearch.search(model, PROMPT, params()));
        }
    }

    @Test
    void aSessionWithTooFewSequencesIsRefused() {
        try (Session session = Models.tiny().newSession(SessionParams.defaults().withNSeqMax(BEAMS))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BeamSearch.search(session, PROMPT, params()));
            assertTrue(e.getMessage().contains("nSeqMax >= " + 2 * BEAMS), e.getMessage());
        }
    }

    @Test
    void promptPlusMaxNewTokensMustFitTheContext() {
        int[] longPrompt = new int[Models.tiny().nCtxTrain() - 3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BeamSearch.search(Models.tiny(), longPrompt, params()));
        assertTrue(e.getMessage().contains("maxNewTokens"), e.getMessage());
    }
}
