package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The optimisation loop every run shares ({@link Trainer}'s pre-training, {@link FineTuner}'s
 * fine-tuning): per step the objective's loss and gradient, global gradient-norm clipping, AdamW at the
 * scheduled learning rate, validation every {@code evalEvery} steps and at the last, a checkpoint every
 * {@code checkpointEvery} steps and at the last, and a {@link Trainer.Progress} to the listener.
 * Resuming restores the weights, AdamW's moments and the step from a checkpoint of the same run
 * (shape, batch, sequence length, seed and data hash).
 */
record Loop(ModelShape shape, int batch, int seqLen, int steps, LearningRate schedule, float clip, float beta1,
            float beta2, float eps, float weightDecay, int evalEvery, Path checkpoint, int checkpointEvery, long seed) {

    /** What the loop achieved: the mean loss of the last 5% of steps, the last validation loss, the time spent. */
    record Outcome(float trainLoss, float valLoss, double elapsedSeconds) {
    }

    /**
     * Runs the steps from 0, or from {@code resume}'s, over {@code model}'s parameters as they are (the
     * caller has initialised or loaded them); {@code tokensPerStep} for the progress' speed; {@code t0} the
     * run's start ({@link System#nanoTime}).
     */
    Outcome run(TrainingPass model, String dataSha256, Path resume, Objective objective, long tokensPerStep, long t0,
                Consumer<Trainer.Progress> listener) throws IOException {
        return run(model, Trainable.of(model), dataSha256, resume, objective, tokensPerStep, t0, listener);
    }

    /** As above, AdamW updating {@code trainable} (which the objective's steps fill the gradient of). */
    Outcome run(TrainingPass model, Trainable trainable, String dataSha256, Path resume, Objective objective,
                long tokensPerStep, long t0, Consumer<Trainer.Progress> listener) throws IOException {
        float[] params = trainable.params(), grads = trainable.grads();
        AdamW opt = new AdamW(params.length, beta1, beta2, eps, weightDecay);
        int start = 0;
        double before = 0;
        if (resume != null) {
            Checkpoint c = Checkpoint.read(resume);
            if (!c.shape().equals(shape) || c.batch() != batch || c.seqLen() != seqLen || c.seed() != seed
                    || !c.corpusSha256().equals(dataSha256) || c.params().length != params.length) {
                throw new IllegalArgumentException(resume + " was made by another run (shape, batch, sequence length,"
                        + " seed, data or what is trained differ)");
            }
            System.arraycopy(c.params(), 0, params, 0, params.length);
            opt.restore(c.adamStep(), c.m(), c.v());
            start = c.step();
            before = c.elapsedSeconds();
        }
        trainable.apply().run();
        int tail = Math.max(1, steps / 20);
        double tailSum = 0;
        int tailCount = 0;
        float valLoss = Float.NaN;
        long tokensSeen = 0, tStart = System.nanoTime();
        for (int step = start; step < steps; step++) {
            float loss = objective.step(model, step);
            float norm = AdamW.clipGradNorm(grads, clip);
            float lr = schedule.at(step);
            opt.update(trainable.tensors(), params, grads, lr);
            trainable.apply().run();
            tokensSeen += tokensPerStep;
            if (step >= steps - tail) {
                tailSum += loss;
                tailCount++;
            }
            boolean last = step == steps - 1;
            float val = Float.NaN;
            if ((step + 1) % evalEvery == 0 || last) {
                val = objective.validation(model);
                valLoss = val;
            }
            double elapsed = before + (System.nanoTime() - t0) / 1e9;
            if (checkpoint != null && ((step + 1) % checkpointEvery == 0 || last)) {
                new Checkpoint(shape, batch, seqLen, seed, dataSha256, step + 1, elapsed, params, opt.m, opt.v,
                        opt.step()).write(checkpoint);
            }
            if (listener != null) {
                double tps = tokensSeen / ((System.nanoTime() - tStart) / 1e9);
                listener.accept(new Trainer.Progress(step + 1, steps, loss, lr, norm, val, tps, elapsed));
            }
        }
        if (Float.isNaN(valLoss)) {
            valLoss = objective.validation(model);
        }
        return new Outcome(tailCount == 0 ? Float.NaN : (float) (tailSum / tailCount), valLoss,
                before + (System.nanoTime() - t0) / 1e9);
    }
}
