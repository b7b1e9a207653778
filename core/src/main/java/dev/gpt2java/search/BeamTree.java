package dev.gpt2java.search;

import dev.gpt2java.Gpt2Model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The tree a beam search explored: every step's running beams and top-K candidates, kept, finished or
 * pruned. {@link #hypotheses()} rebuilds, from the steps alone, the list the search returned.
 *
 * @param prompt the prompt's tokens
 * @param params the search's parameters
 * @param steps  its steps, in order
 */
public record BeamTree(int[] prompt, BeamSearchParams params, List<BeamStep> steps) {

    public BeamTree {
        prompt = prompt.clone();
        Objects.requireNonNull(params, "params");
        steps = List.copyOf(steps);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    /** A tree and what the search returned. */
    public record Result(BeamTree tree, List<Hypothesis> hypotheses) {
        public Result {
            Objects.requireNonNull(tree, "tree");
            hypotheses = List.copyOf(hypotheses);
        }
    }

    /**
     * Runs {@link BeamSearch#search(Gpt2Model, int[], BeamSearchParams, BeamObserver)} and records its tree
     * (numBeams 1 is greedy search, with no steps recorded).
     */
    public static Result search(Gpt2Model model, int[] prompt, BeamSearchParams params) {
        List<BeamStep> steps = new ArrayList<>();
        List<Hypothesis> found = BeamSearch.search(model, prompt, params, steps::add);
        return new Result(new BeamTree(prompt, params, steps), found);
    }

    /**
     * The finished hypotheses as the search keeps them: each step's {@link BeamCandidate.Fate#FINISHED}
     * candidates added in rank order, sorted best first (stable), the best numBeams kept; the first
     * numReturnSequences of them.
     */
    public List<Hypothesis> hypotheses() {
        List<Hypothesis> finished = new ArrayList<>();
        for (BeamStep step : steps) {
            for (BeamCandidate c : step.candidates()) {
                if (c.fate() == BeamCandidate.Fate.FINISHED) {
                    finished.add(new Hypothesis(step.tokensOf(c), c.normalizedScore()));
                }
            }
            finished.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            while (finished.size() > params.numBeams()) {
                finished.removeLast();
            }
        }
        return List.copyOf(finished.subList(0, Math.min(params.numReturnSequences(), finished.size())));
    }

    /** Candidates in all steps. */
    public int candidateCount() {
        return steps.stream().mapToInt(s -> s.candidates().size()).sum();
    }
}
