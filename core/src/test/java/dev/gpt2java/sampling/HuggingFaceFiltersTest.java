package dev.gpt2java.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each filter, and chains of them, keep exactly the tokens Hugging Face's logits processors keep on
 * the same logits, with the same renormalised probabilities (within 1e-6) and processed scores
 * (within 1e-6 relative). Reference: {@code fixtures/sampling/} (HF run in float64 on float32
 * logits, with a stable sort; see its README).
 */
class HuggingFaceFiltersTest {

    static final double PROB_TOLERANCE = 1e-6;
    static final double SCORE_TOLERANCE = 1e-6;

    private static double maxProbDiff;
    private static double maxScoreDiff;
    private static int compared;

    @TestFactory
    Stream<DynamicTest> keptSetAndProbabilitiesEqualHuggingFace() {
        return HfFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    private static void check(HfFixtures.Case c) {
        float[] logits = c.logits();
        for (LogitsFilter f : HfFixtures.filters(c.spec(), c.lastN())) {
            f.apply(logits, c.history());
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] != Float.NEGATIVE_INFINITY) {
                kept.add(i);
            }
        }
        int[] expectedKept = c.kept();
        assertArrayEquals(expectedKept, kept.stream().mapToInt(Integer::intValue).toArray(), c + ": kept set");
        double[] probs = SamplerChain.probabilities(logits);
        double[] expectedProbs = c.probs();
        double[] expectedScores = c.scores();
        for (int j = 0; j < expectedKept.length; j++) {
            int t = expectedKept[j];
            double dp = Math.abs(probs[t] - expectedProbs[j]);
            double ds = Math.abs(logits[t] - expectedScores[j]) / Math.max(1, Math.abs(expectedScores[j]));
            assertTrue(dp <= PROB_TOLERANCE, c + ": token " + t + " probability " + probs[t] + " vs HF " + expectedProbs[j]);
            assertTrue(ds <= SCORE_TOLERANCE, c + ": token " + t + " score " + logits[t] + " vs HF " + expectedScores[j]);
            synchronized (HuggingFaceFiltersTest.class) {
                maxProbDiff = Math.max(maxProbDiff, dp);
                maxScoreDiff = Math.max(maxScoreDiff, ds);
            }
        }
        synchronized (HuggingFaceFiltersTest.class) {
            compared++;
        }
    }

    @Test
    void fixtureCoversEveryFilterWithAnHfCounterpart() {
        String all = String.join(" ", HfFixtures.cases().stream().map(HfFixtures.Case::spec).toList());
        for (String stage : List.of("temperature", "top_k", "top_p", "min_p", "typical_p", "repetition_penalty", "logit_bias", "|")) {
            assertTrue(all.contains(stage), "no fixture case for " + stage);
        }
        assertEquals(50257, HfFixtures.logits("v50257_heavy").length);
    }

    @AfterAll
    static void report() {
        System.out.printf("HF parity: %d cases, max |p - p_HF| = %.3e, max relative score diff = %.3e%n",
                compared, maxProbDiff, maxScoreDiff);
    }
}
