package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a training run depends on. The run is a pure function of these (and the corpus): the
 * same parameters give the same weights, bit for bit; with the Java engine on any thread count, with
 * the native one for a given thread count (ggml's sums follow its threads).
 *
 * @param corpus          UTF-8 text files; each is tokenized whole and they are joined by {@code <|endoftext|>}
 * @param output          the trained model, a GGUF file
 * @param outputType      "f32" or "f16" (matrices and embeddings in F16, the rest in F32, as llama.cpp's converter)
 * @param name            the model's {@code general.name}
 * @param shape           the model; nVocab must equal the vocabulary's size
 * @param batch           sequences per step
 * @param seqLen          tokens per sequence (≤ shape.nCtx)
 * @param steps           optimizer steps
 * @param lr              peak learning rate, reached after {@code warmup} steps
 * @param minLr           learning rate at the last step (cosine decay)
 * @param warmup          linear warm-up steps
 * @param weightDecay     AdamW's decoupled weight decay, on matrices and embeddings
 * @param beta1           AdamW's β1
 * @param beta2           AdamW's β2
 * @param eps             AdamW's ε
 * @param clip            maximum global gradient norm
 * @param valEvery        one block of every {@code valEvery} is held out for validation
 * @param evalEvery       steps between validation losses (and at the last step)
 * @param evalBatches     validation batches per evaluation (at most what the split holds)
 * @param checkpoint      where to keep the resumable state (weights and optimizer), or null for none
 * @param checkpointEvery steps between checkpoints (and at the last step)
 * @param seed            initialisation and data order
 * @param threads         compute threads
 * @param engine          where the forward and backward passes run: {@link Engine#JAVA} (the pure-Java
 *                        {@code TrainingModel}) or {@link Engine#NATIVE} (libgpt2, ggml's automatic
 *                        differentiation on the CPU); the optimizer is the same Java AdamW
 */
public record TrainParams(List<Path> corpus, Path output, String outputType, String name, ModelShape shape,
                          int batch, int seqLen, int steps, float lr, float minLr, int warmup, float weightDecay,
                          float beta1, float beta2, float eps, float clip, int valEvery, int evalEvery,
                          int evalBatches, Path checkpoint, int checkpointEvery, long seed, int threads,
                          Engine engine) {

    public TrainParams {
        corpus = List.copyOf(corpus);
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("no corpus files");
        }
        Objects.requireNonNull(output, "output");
        if (!outputType.equals("f32") && !outputType.equals("f16")) {
            throw new IllegalArgumentException("output type must be f32 or f16, was " + outputType);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        require(shape.nVocab() >= 2, "nVocab must be >= 2, was " + shape.nVocab());
        require(shape.nCtx() <= 1 << 16, "nCtx must be in [1, 65536], was " + shape.nCtx());
        require(shape.nParams(true) < Integer.MAX_VALUE - 64, "a model of " + shape.nParams(true)
                + " parameters is beyond this trainer (2^31)");
        require(batch >= 1, "batch must be >= 1, was " + batch);
        require(seqLen >= 2 && seqLen <= shape.nCtx(), "sequence length must be in [2, n_ctx = " + shape.nCtx()
                + "], was " + seqLen);
        requireOptimizer(steps, lr, minLr, warmup, weightDecay, beta1, beta2, eps, clip);
        require(valEvery >= 2, "val-every must be >= 2, was " + valEvery);
        require(evalEvery >= 1 && evalBatches >= 1, "eval-every and eval-batches must be >= 1");
        require(checkpointEvery >= 1, "checkpoint-every must be >= 1, was " + checkpointEvery);
        require(threads >= 1, "threads must be >= 1, was " + threads);
        Objects.requireNonNull(engine, "engine");
    }

    /** Defaults for the given corpus, output and shape: batch 8 × n_ctx, AdamW(0.9, 0.95, 1e-8, wd 0.1), clip 1. */
    public static TrainParams defaults(List<Path> corpus, Path output, ModelShape shape, int steps) {
        return new TrainParams(corpus, output, "f16", "gpt2-java", shape, 8, shape.nCtx(), steps, 1e-3f, 1e-4f,
                Math.min(100, steps / 10), 0.1f, 0.9f, 0.95f, 1e-8f, 1f, 20, Math.max(1, steps / 20), 16, null,
                Math.max(1, steps / 10), 1234, Runtime.getRuntime().availableProcessors(), Engine.JAVA);
    }

    /** These parameters with the passes on {@code engine}. */
    public TrainParams withEngine(Engine engine) {
        return new TrainParams(corpus, output, outputType, name, shape, batch, seqLen, steps, lr, minLr, warmup,
                weightDecay, beta1, beta2, eps, clip, valEvery, evalEvery, evalBatches, checkpoint, checkpointEvery,
                seed, threads, engine);
    }

    /** The optimisation loop of this run. */
    Loop loop() {
        return new Loop(shape, batch, seqLen, steps, schedule(), clip, beta1, beta2, eps, weightDecay, evalEvery,
                checkpoint, checkpointEvery, seed);
    }

    /** The learning-rate schedule. */
    LearningRate schedule() {
        return new LearningRate(lr, minLr, warmup, steps);
    }

    /**
     * The schedule's and AdamW's settings, as both trainers take them: steps >= 1, 0 <= min lr <= lr > 0,
     * warm-up in [0, steps), weight decay >= 0, betas in [0, 1), eps > 0, clip > 0.
     */
    static void requireOptimizer(int steps, float lr, float minLr, int warmup, float weightDecay, float beta1,
                                 float beta2, float eps, float clip) {
        require(steps >= 1, "steps must be >= 1, was " + steps);
        require(lr > 0 && minLr >= 0 && minLr <= lr, "need 0 <= min lr <= lr and lr > 0, got " + minLr + ", " + lr);
        require(warmup >= 0 && warmup < steps, "warm-up must be in [0, steps), was " + warmup);
        require(weightDecay >= 0, "weight decay must be >= 0, was " + weightDecay);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1), were " + beta1 + ", " + beta2);
        require(eps > 0, "eps must be > 0, was " + eps);
        require(clip > 0, "clip must be > 0, was " + clip);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
