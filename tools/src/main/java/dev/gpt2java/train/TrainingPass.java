package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import java.util.function.UnaryOperator;

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

    /**
     * The cross-entropy of each of the B·T predictions (row i: of targets[i] after inputs up to i); no
     * gradients.
     */
    abstract float[] tokenLosses(int[] inputs, int[] targets);

    /**
     * The gradient of Σᵢ weights[i] · CEᵢ over the B·T predictions into {@link #grads}: a loss masked to some
     * tokens (weight 0 elsewhere) or normalised as the caller chooses; returns the CEᵢ.
     */
    abstract float[] weightedGradients(int[] inputs, int[] targets, float[] weights);

    /**
     * As {@link #weightedGradients(int[], int[], float[])} with the weights a function of this pass's own
     * CEᵢ (a loss of whole sequences' log-probabilities, as DPO's: dL/dCEᵢ depends on them); returns the CEᵢ.
     */
    abstract float[] weightedGradients(int[] inputs, int[] targets, UnaryOperator<float[]> weightsOf);

    @Override
    public abstract void close();
}
