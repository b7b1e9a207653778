package dev.gpt2java.train;

/**
 * What a run minimises, step by step: pre-training's next-token cross-entropy on windows of a corpus
 * ({@link Trainer}), or fine-tuning's losses on examples ({@link FineTuner}). The {@link Loop} around it
 * is the same: clipping, AdamW, the schedule, validation, checkpoints and progress.
 */
interface Objective {

    /** The loss of training step {@code step}'s batch; its gradient left in {@code model.grads}. */
    float step(TrainingPass model, int step);

    /** The validation loss at the current parameters; NaN when the run has no validation data. */
    float validation(TrainingPass model);
}
