package dev.gpt2java.sampling;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A sampler made of {@link LogitsFilter}s run in order on the logits, then a pick: a seeded draw
 * from {@code softmax(logits)} ({@link #of}) or the argmax ({@link #greedy}).
 *
 * <p>The draw is reproducible: the generator is {@link SplittableRandom} (SplitMix64, whose output
 * for a seed is specified and the same on every JDK), one {@code nextDouble()} per token, and the
 * softmax and the inverse-CDF walk over token ids run in double precision in Java. The same seed,
 * logits and history give the same tokens on every run; on every backend, as far as the backends'
 * logits agree. A chain holds its generator's state, so it is used by one thread at a time; build
 * one per sequence.
 */
public final class SamplerChain implements Sampler {

    private final List<LogitsFilter> filters;
    private final SplittableRandom random; // null: greedy

    private SamplerChain(List<LogitsFilter> filters, SplittableRandom random) {
        this.filters = filters;
        this.random = random;
    }

    /** Runs {@code filters} in order, then draws from {@code softmax(logits)} with a generator seeded by {@code seed}. */
    public static SamplerChain of(long seed, LogitsFilter... filters) {
        return new SamplerChain(List.of(filters), new SplittableRandom(seed));
    }

    /** Runs {@code filters} in order, then takes the argmax (the lowest id on a tie, as {@link Sampler#GREEDY}). */
    public static SamplerChain greedy(LogitsFilter... filters) {
        return new SamplerChain(List.of(filters), null);
    }

    public List<LogitsFilter> filters() {
        return filters;
    }

    public boolean isGreedy() {
        return random == null;
    }

    /** Applies the filters to {@code logits} in place, then picks. */
    @Override
    public int sample(float[] logits, int[] history) {
        for (LogitsFilter f : filters) {
            f.apply(logits, history);
        }
        if (random == null) {
            return Logits.argmax(logits);
        }
        return draw(logits, random.nextDouble());
    }

    /**
     * The token at {@code u} in [0, 1) on the cumulative distribution of {@code softmax(logits)},
     * walking ids upwards: the first id whose cumulative probability exceeds {@code u}.
     */
    static int draw(float[] logits, double u) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            throw new IllegalArgumentException("every token is filtered out (all logits are -Infinity or NaN)");
        }
        double[] weight = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            weight[i] = Math.exp(logits[i] - max);
            total += weight[i];
        }
        double target = u * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < logits.length; i++) {
            if (weight[i] > 0) {
                cumulative += weight[i];
                last = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        return last; // rounding left target at the very top
    }

    /** {@code softmax(logits)} in double precision, as the draw uses it; zero where the logit is {@code -Infinity}. */
    public static double[] probabilities(float[] logits) {
        return Logits.softmax(logits);
    }

    @Override
    public String toString() {
        return "SamplerChain" + filters + (random == null ? " -> argmax" : " -> draw");
    }
}
