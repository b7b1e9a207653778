package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import java.util.function.UnaryOperator;

/**
 * The training pass on libgpt2: the same loss and gradient as {@link TrainingModel}, computed by ggml's
 * automatic differentiation ({@link NativeGradient}), with the parameters copied in and the gradient
 * copied out each step.
 */
final class NativeTrainingModel extends TrainingPass {

    private final NativeGradient gradient;

    NativeTrainingModel(ModelShape shape, int batch, int seqLen, int threads) {
        super(shape);
        this.gradient = NativeGradient.create(new GradientParams(shape, batch, seqLen, threads));
        if (gradient.parameterCount() != layout.count) {
            gradient.close();
            throw new IllegalStateException("libgpt2 counts " + gradient.parameterCount() + " parameters, the Java"
                    + " layout " + layout.count);
        }
    }

    @Override
    float loss(int[] inputs, int[] targets) {
        return gradient.compute(params, inputs, targets, null);
    }

    @Override
    float lossAndGradients(int[] inputs, int[] targets) {
        return gradient.compute(params, inputs, targets, grads);
    }

    @Override
    float[] tokenLosses(int[] inputs, int[] targets) {
        throw javaOnly();
    }

    @Override
    float[] weightedGradients(int[] inputs, int[] targets, float[] weights) {
        throw javaOnly();
    }

    @Override
    float[] weightedGradients(int[] inputs, int[] targets, UnaryOperator<float[]> weightsOf) {
        throw javaOnly();
    }

    /** libgpt2's training graph ends in the mean cross-entropy; per-token losses are the Java engine's. */
    private static UnsupportedOperationException javaOnly() {
        return new UnsupportedOperationException("per-token losses (fine-tuning) run on the Java engine only");
    }

    @Override
    public void close() {
        gradient.close();
    }
}
