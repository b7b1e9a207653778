package dev.gpt2java.search;

/**
 * One of the top-K candidates of a beam-search step.
 *
 * @param rank            place among the step's candidates, 0: best
 * @param beam            index of the parent beam in {@link BeamStep#beams()}
 * @param token           the token appended to the parent
 * @param score           cumulative log-probability of the parent's tokens plus this one
 * @param fate            kept as a running beam, finished as a hypothesis, or pruned
 * @param nextBeam        {@link Fate#KEPT}: the index of the running beam it became in the next step;
 *                        otherwise -1
 * @param normalizedScore {@link Fate#FINISHED}: {@code score / length^lengthPenalty}; otherwise NaN
 */
public record BeamCandidate(int rank, int beam, int token, double score, Fate fate, int nextBeam,
                            double normalizedScore) {

    /** What became of a candidate. */
    public enum Fate {
        /** Became a running beam of the next step. */
        KEPT,
        /** Ended (EOS or maxNewTokens) among the first numBeams and was added to the finished hypotheses. */
        FINISHED,
        /** Neither: ranked too low, or ended outside the first numBeams. */
        PRUNED
    }
}
