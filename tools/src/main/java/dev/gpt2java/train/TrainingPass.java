package dev.gpt2java.train;

import dev.gpt2java.ModelShape;

/**
 * A training step's forward and backward pass, on one engine: the pure-Java {@link TrainingModel} or
 * libgpt2's {@link NativeTrainingModel}. Both hold the parameters and their gradient in the flat layout
 * of {@link Parameters}, which is what the optimizer and checkpoints read and write.
 */
abstract sealed class TrainingPass implements AutoCloseable permits TrainingModel, NativeTrainingModel {

    final Parameters layout;
    /** The parameters, read by each pass; the caller updates them in place. */
    final float[] params;
    /** The gradient of the last {@link #lossAndGradients}. */
    final float[] grads;

    TrainingPass(ModelShape shape) {
        this.layout = new Parameters(shape);
        this.params = new float[layout.count];
        this.grads = new float[layout.count];
    }

    /** Mean cross-entropy of predicting targets[i] after inputs[0..i] (per sequence); no gradients. */
    abstract float loss(int[] inputs, int[] targets);

    /** Mean cross-entropy, and its gradient with respect to every parameter in {@link #grads}. */
    abstract float lossAndGradients(int[] inputs, int[] targets);

    @Override
    public abstract void close();
}
