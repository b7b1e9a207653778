package dev.gpt2java.train;

import java.util.List;

/**
 * What the optimizer updates, and how the training pass sees it: the model's own parameters (pre-training
 * and full fine-tuning: nothing to do after an update) or low-rank adapters ({@link Lora}: applied to the
 * model's weights after each update).
 *
 * @param params  the values AdamW updates and checkpoints keep
 * @param grads   their gradient, filled by the objective's step
 * @param tensors the layout of {@code params} (weight decay on the 2-D ones)
 * @param apply   makes the model's parameters reflect {@code params}; run before the first step, after a
 *                resume and after every update
 */
record Trainable(float[] params, float[] grads, List<Parameters.Tensor> tensors, Runnable apply) {

    /** The model's own parameters. */
    static Trainable of(TrainingPass model) {
        return new Trainable(model.params, model.grads, model.layout.tensors(), () -> { });
    }
}
