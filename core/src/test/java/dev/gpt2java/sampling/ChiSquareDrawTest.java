package dev.gpt2java.sampling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frequencies a seeded chain draws match the probabilities Hugging Face's processors give for
 * the same logits: Pearson's chi-square over 10^5 draws, bins with an expected count below 5 pooled,
 * accepted at p = 0.001. The critical value is the Wilson–Hilferty approximation of the chi-square
 * quantile (computed here, no statistics library).
 */
class ChiSquareDrawTest {

    static final int DRAWS = 100_000;
    /** The standard normal quantile at 0.999. */
    static final double Z_999 = 3.090232306167813;

    @ParameterizedTest
    @ValueSource(strings = {
            "v1000_normal.temperature_1.3",
            "v1000_normal.top_k_50_keep1",
            "v1000_normal.top_p_0.95_keep1",
            "v1000_ties.top_p_0.9_keep1",
            "v1000_ties.min_p_0.05_keep1",
            "v1000_banned.typical_p_0.9_keep1",
            "v1000_banned.repetition_penalty_1.3",
            "v1000_normal.chain_penalty_bias_typical",
    })
    void drawnFrequenciesFitHuggingFaceProbabilities(String name) {
        HfFixtures.Case c = HfFixtures.cases().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
        double[] expected = expectedProbabilities(c);
        long[] counts = draw(c, 20240611L);
        Result r = chiSquare(counts, expected);
        System.out.printf("chi-square %s: %d draws, %d bins, statistic %.1f, critical(p=0.001) %.1f%n",
                name, DRAWS, r.bins, r.statistic, r.critical);
        assertTrue(r.statistic < r.critical, name + ": " + r);
    }

    @Test
    void chiSquareRejectsDrawsFromTheWrongDistribution() {
        // the test has power: top-p draws are not distributed as the untruncated softmax
        HfFixtures.Case c = HfFixtures.cases().stream().filter(k -> k.name().equals("v1000_normal.top_p_0.95_keep1"))
                .findFirst().orElseThrow();
        long[] counts = draw(c, 7L);
        double[] untruncated = SamplerChain.probabilities(c.logits());
        Result r = chiSquare(counts, untruncated);
        assertTrue(r.statistic > r.critical, r.toString());
    }

    @Test
    void wilsonHilfertyMatchesTabulatedQuantiles() {
        // chi-square 0.999 quantiles from standard tables
        assertTrue(Math.abs(criticalValue(10) - 29.588) / 29.588 < 0.01);
        assertTrue(Math.abs(criticalValue(100) - 149.449) / 149.449 < 0.002);
        assertTrue(Math.abs(criticalValue(1000) - 1143.917) / 1143.917 < 0.001);
    }

    private static double[] expectedProbabilities(HfFixtures.Case c) {
        double[] p = new double[c.logits().length];
        int[] kept = c.kept();
        double[] probs = c.probs();
        for (int j = 0; j < kept.length; j++) {
            p[kept[j]] = probs[j];
        }
        return p;
    }

    private static long[] draw(HfFixtures.Case c, long seed) {
        float[] logits = c.logits();
        SamplerChain chain = SamplerChain.of(seed, HfFixtures.filters(c.spec(), c.lastN()).toArray(LogitsFilter[]::new));
        long[] counts = new long[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[chain.sample(logits.clone(), c.history())]++;
        }
        return counts;
    }

    record Result(double statistic, int bins, double critical) {
    }

    /** Pearson's statistic; bins with an expected count below 5 are pooled (into the next smallest if still below 5). */
    static Result chiSquare(long[] counts, double[] p) {
        long n = Arrays.stream(counts).sum();
        List<double[]> bins = new ArrayList<>(); // {expected, observed}
        double pooledE = 0;
        double pooledO = 0;
        for (int i = 0; i < p.length; i++) {
            double e = p[i] * n;
            if (e >= 5) {
                bins.add(new double[] {e, counts[i]});
            } else {
                pooledE += e;
                pooledO += counts[i];
            }
        }
        if (pooledE > 0 || pooledO > 0) {
            if (pooledE >= 5 || bins.isEmpty()) {
                bins.add(new double[] {pooledE, pooledO});
            } else {
                double[] smallest = bins.stream().min((a, b) -> Double.compare(a[0], b[0])).orElseThrow();
                smallest[0] += pooledE;
                smallest[1] += pooledO;
            }
        }
        double stat = 0;
        for (double[] b : bins) {
            stat += b[0] == 0 ? (b[1] == 0 ? 0 : Double.POSITIVE_INFINITY) : (b[1] - b[0]) * (b[1] - b[0]) / b[0];
        }
        int df = Math.max(1, bins.size() - 1);
        return new Result(stat, bins.size(), criticalValue(df));
    }

    /** The chi-square quantile at 0.999 for {@code k} degrees of freedom, by Wilson–Hilferty. */
    static double criticalValue(int k) {
        double a = 2.0 / (9.0 * k);
        double t = 1 - a + Z_999 * Math.sqrt(a);
        return k * t * t * t;
    }
}
