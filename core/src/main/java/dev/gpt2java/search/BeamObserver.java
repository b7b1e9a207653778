package dev.gpt2java.search;

/**
 * Sees each step of a {@link BeamSearch}: the running beams it expanded and the top-K candidates it
 * ranked, each marked kept, finished or pruned ({@link BeamStep}). Called on the searching thread, after
 * the step's candidates are classified and before the next step is evaluated.
 */
@FunctionalInterface
public interface BeamObserver {

    /** An observer that does nothing. */
    BeamObserver NONE = step -> {
    };

    void step(BeamStep step);
}
