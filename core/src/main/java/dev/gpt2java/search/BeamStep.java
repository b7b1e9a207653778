package dev.gpt2java.search;

import java.util.Arrays;
import java.util.List;

/**
 * One step of a beam search.
 *
 * @param index      0-based step: the number of tokens the beams held before it
 * @param beams      the running beams it expanded (the first step: one, the prompt)
 * @param candidates the best {@code K = max(2, 1 + #eos) · numBeams} candidates (fewer if the vocabulary
 *                   allowed fewer), best first
 */
public record BeamStep(int index, List<Beam> beams, List<BeamCandidate> candidates) {

    public BeamStep {
        beams = List.copyOf(beams);
        candidates = List.copyOf(candidates);
    }

    /** Running beam: its generated tokens (prompt excluded) and their cumulative log-probability. */
    public record Beam(int[] tokens, double score) {
        public Beam {
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Beam b && Arrays.equals(tokens, b.tokens) && Double.compare(score, b.score) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(tokens) + Double.hashCode(score);
        }

        @Override
        public String toString() {
            return "Beam[tokens=" + Arrays.toString(tokens) + ", score=" + score + "]";
        }
    }

    /** The tokens of candidate {@code c}: its parent's tokens and its own. */
    public int[] tokensOf(BeamCandidate c) {
        int[] parent = beams.get(c.beam()).tokens;
        int[] t = Arrays.copyOf(parent, parent.length + 1);
        t[parent.length] = c.token();
        return t;
    }
}
