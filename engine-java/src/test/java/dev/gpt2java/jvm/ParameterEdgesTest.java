package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.GreedySearch;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.testsupport.TestSupport;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parameters at the edges of what the API allows give the same answer on both engines: a result, or
 * an exception that names the parameter, never an overflow, an OutOfMemoryError or a token -1.
 * (Each case was found by a probe of the API: the values are those it used.)
 */
class ParameterEdgesTest {

    private static final Path TINY = TestSupport.fixture("tiny-odd-heads", "model-f32.gguf");  // 128 positions
    private static final int[] PROMPT = {1, 2, 3};

    private static Gpt2Model load(Engine engine) {
        return Gpt2Model.load(TINY, ModelParams.defaults().withEngine(engine).withThreads(1));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theMostNewTokensStopAtTheEndOfTheContext(Engine engine) {
        try (Gpt2Model m = load(engine)) {
            GenerationParams g = GenerationParams.of(Integer.MAX_VALUE, 0).withEosTokenIds();
            GenerationResult r = Generator.generateTokens(m, PROMPT, SamplingParams.greedy().newSampler(), g, t -> { });
            assertEquals(m.nCtxTrain() - PROMPT.length, r.tokens().length);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSearchPastTheContextIsRefusedNotOverflowed(Engine engine) {
        try (Gpt2Model m = load(engine)) {
            BeamSearchParams greedy = BeamSearchParams.of(1, 0).withMaxNewTokens(Integer.MAX_VALUE).withEosTokenIds();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GreedySearch.search(m, PROMPT, greedy));
            assertTrue(e.getMessage().contains("must fit the model's 128 positions"), e.getMessage());
            BeamSearchParams beams = greedy.withNumBeams(BeamSearchParams.MAX_BEAMS);
            e = assertThrows(IllegalArgumentException.class, () -> BeamSearch.search(m, PROMPT, beams));
            assertTrue(e.getMessage().contains("must fit the model's 128 positions"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theMostBeamsTheParametersAllowRunOnEitherEngine(Engine engine) {
        try (Gpt2Model m = load(engine)) {
            BeamSearchParams p = BeamSearchParams.of(BeamSearchParams.MAX_BEAMS, 0).withMaxNewTokens(2).withEosTokenIds();
            List<Hypothesis> found = BeamSearch.search(m, PROMPT, p);
            assertEquals(1, found.size());
            assertEquals(2, found.get(0).tokens().length, found.get(0).toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> BeamSearchParams.of(BeamSearchParams.MAX_BEAMS + 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SessionParams.defaults().withNSeqMax(SessionParams.MAX_SEQUENCES + 1));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTemperatureNearZeroDrawsTheMostLikelyToken(Engine engine) {
        try (Gpt2Model m = load(engine)) {
            GenerationParams g = GenerationParams.of(8, 0).withEosTokenIds();
            int[] greedy = Generator.generateTokens(m, PROMPT, SamplingParams.greedy().newSampler(), g, t -> { }).tokens();
            for (double t : new double[] {1e-30, 1e-38, Double.MIN_VALUE}) {
                int[] drawn = Generator.generateTokens(m, PROMPT,
                        SamplingParams.defaults().withTemperature(t).withSeed(7).newSampler(), g, x -> { }).tokens();
                assertEquals(List.of(toObjects(greedy)), List.of(toObjects(drawn)), "temperature " + t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theMostThreadsRunAndMoreAreRefused(Engine engine) {
        // 512 threads asked on this machine's few CPUs: capped to them (gpt2.h, Threads), so an eval
        // takes as long as with one per CPU (a probe measured 45.6 s for 3 tokens with 32 uncapped)
        try (Gpt2Model m = Gpt2Model.load(TINY, ModelParams.defaults().withEngine(engine).withThreads(ModelParams.MAX_THREADS));
             Session s = m.newSession(SessionParams.defaults().withThreads(ModelParams.MAX_THREADS))) {
            assertEquals(m.nVocab(), s.eval(0, PROMPT).length);
            s.setThreads(ModelParams.MAX_THREADS);
            assertEquals(m.nVocab(), s.eval(0, 4).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setThreads(100_000));
            assertTrue(e.getMessage().contains("0..512"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelParams.defaults().withThreads(ModelParams.MAX_THREADS + 1));
        assertTrue(e.getMessage().contains("0..512"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void capturesBeforeAnyEvalAreRefused(Engine engine) {
        try (Gpt2Model m = load(engine);
             Session s = m.newSession(SessionParams.defaults().withCaptureAttention(true).withCaptureHidden(true))) {
            assertThrows(IllegalStateException.class, () -> s.attention(0));
            assertThrows(IllegalStateException.class, () -> s.hidden(0));
            s.eval(0, PROMPT);
            assertEquals(PROMPT.length, s.hidden(0).length);
            assertEquals(PROMPT.length, s.attention(0)[0].length);
        }
    }

    private static Integer[] toObjects(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
