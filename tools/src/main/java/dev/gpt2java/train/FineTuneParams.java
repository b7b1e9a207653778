package dev.gpt2java.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a fine-tuning run depends on ({@link FineTuner}). The run is a pure function of these and
 * of the files they name: the same parameters give the same weights, bit for bit, on any thread count.
 *
 * @param base            the model to start from: a GPT-2 GGUF in F32 or F16 with the output tied to
 *                        token_embd (what {@code gpt2 train} and {@code gpt2 convert} write)
 * @param data            JSON Lines: {@code {"prompt", "response"}} for {@link Method#SFT},
 *                        {@code {"prompt", "chosen", "rejected"}} for {@link Method#DPO}
 * @param val             held-out examples in the same format, or null for none
 * @param output          the fine-tuned model, a GGUF file
 * @param outputType      "f32" or "f16"
 * @param name            the model's {@code general.name}
 * @param method          what is minimised
 * @param beta            DPO's β (the strength of the pull towards the starting model), > 0; unused by SFT
 * @param batch           examples (SFT) or preference pairs (DPO, two sequences each) per step
 * @param steps           optimizer steps
 * @param lr              peak learning rate, reached after {@code warmup} steps
 * @param minLr           learning rate at the last step (cosine decay)
 * @param warmup          linear warm-up steps
 * @param weightDecay     AdamW's decoupled weight decay, on matrices and embeddings
 * @param beta1           AdamW's β1
 * @param beta2           AdamW's β2
 * @param eps             AdamW's ε
 * @param clip            maximum global gradient norm
 * @param evalEvery       steps between validation losses (and at the last step)
 * @param checkpoint      where to keep the resumable state, or null for none
 * @param checkpointEvery steps between checkpoints (and at the last step)
 * @param seed            the order of the examples
 * @param threads         compute threads
 * @param adapters        low-rank adapters to train instead of the whole model, or null: every parameter trained
 */
public record FineTuneParams(Path base, Path data, Path val, Path output, String outputType, String name,
                             Method method, float beta, int batch, int steps, float lr, float minLr, int warmup,
                             float weightDecay, float beta1, float beta2, float eps, float clip, int evalEvery,
                             Path checkpoint, int checkpointEvery, long seed, int threads, Adapters adapters) {

    /**
     * Low-rank adapters (LoRA) on every block's attn_qkv, attn_output, ffn_up and ffn_down: each W becomes
     * W + (alpha / rank) B A, only A and B trained, the rest of the model frozen.
     *
     * @param rank  the rank of A (rank × in) and B (out × rank), >= 1
     * @param alpha the scale's numerator, > 0
     * @param merge write the model with the adapters merged into its matrices (a GPT-2 GGUF any engine loads);
     *              else the adapters alone, a LoRA GGUF in llama.cpp's layout
     */
    public record Adapters(int rank, float alpha, boolean merge) {
        public Adapters {
            if (rank < 1) {
                throw new IllegalArgumentException("LoRA rank must be >= 1, was " + rank);
            }
            if (!(alpha > 0) || !Float.isFinite(alpha)) {
                throw new IllegalArgumentException("LoRA alpha must be > 0, was " + alpha);
            }
        }
    }

    /** What a fine-tuning run minimises. */
    public enum Method {
        /**
         * Supervised fine-tuning on instructions: the mean cross-entropy of the response tokens (and the
         * closing {@code <|endoftext|>}) given the prompt; the prompt's own tokens carry no loss.
         */
        SFT,
        /**
         * Direct Preference Optimization (Rafailov et al. 2023) against the frozen starting model:
         * -log σ(β[(log πθ(chosen|prompt) - log πref(chosen|prompt)) - (log πθ(rejected|prompt) -
         * log πref(rejected|prompt))]), averaged over the pairs, the log-probabilities summed over the
         * response tokens (and the closing {@code <|endoftext|>}).
         */
        DPO
    }

    public FineTuneParams {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(output, "output");
        if (!"f32".equals(outputType) && !"f16".equals(outputType)) {
            throw new IllegalArgumentException("output type must be f32 or f16, was " + outputType);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        require(beta > 0 && Float.isFinite(beta), "beta must be > 0, was " + beta);
        require(batch >= 1, "batch must be >= 1, was " + batch);
        TrainParams.requireOptimizer(steps, lr, minLr, warmup, weightDecay, beta1, beta2, eps, clip);
        require(evalEvery >= 1, "eval-every must be >= 1, was " + evalEvery);
        require(checkpointEvery >= 1, "checkpoint-every must be >= 1, was " + checkpointEvery);
        require(threads >= 1, "threads must be >= 1, was " + threads);
    }

    /**
     * Defaults for fine-tuning {@code base} on {@code data}: 8 examples or pairs per step, learning rate
     * 1e-4 to 1e-5 (warm-up steps/10, at most 100), AdamW(0.9, 0.999, 1e-8) without weight decay, clip 1,
     * DPO's β 0.1, F16 output, no validation file and no checkpoint.
     */
    public static FineTuneParams defaults(Path base, Path data, Path output, Method method, int steps) {
        return new FineTuneParams(base, data, null, output, "f16", "gpt2-java-finetuned", method, 0.1f, 8, steps,
                1e-4f, 1e-5f, Math.min(100, steps / 10), 0f, 0.9f, 0.999f, 1e-8f, 1f, Math.max(1, steps / 20), null,
                Math.max(1, steps / 10), 1234, Runtime.getRuntime().availableProcessors(), null);
    }

    /** These parameters with {@code val} as the validation file. */
    public FineTuneParams withVal(Path val) {
        return new FineTuneParams(base, data, val, output, outputType, name, method, beta, batch, steps, lr, minLr,
                warmup, weightDecay, beta1, beta2, eps, clip, evalEvery, checkpoint, checkpointEvery, seed, threads,
                adapters);
    }

    /** These parameters training {@code adapters} (null: the whole model). */
    public FineTuneParams withAdapters(Adapters adapters) {
        return new FineTuneParams(base, data, val, output, outputType, name, method, beta, batch, steps, lr, minLr,
                warmup, weightDecay, beta1, beta2, eps, clip, evalEvery, checkpoint, checkpointEvery, seed, threads,
                adapters);
    }

    /** These parameters with checkpoints in {@code checkpoint} every {@code every} steps. */
    public FineTuneParams withCheckpoint(Path checkpoint, int every) {
        return new FineTuneParams(base, data, val, output, outputType, name, method, beta, batch, steps, lr, minLr,
                warmup, weightDecay, beta1, beta2, eps, clip, evalEvery, checkpoint, every, seed, threads, adapters);
    }

    /** These parameters on {@code threads} compute threads. */
    public FineTuneParams withThreads(int threads) {
        return new FineTuneParams(base, data, val, output, outputType, name, method, beta, batch, steps, lr, minLr,
                warmup, weightDecay, beta1, beta2, eps, clip, evalEvery, checkpoint, checkpointEvery, seed, threads,
                adapters);
    }

    /** The learning-rate schedule. */
    LearningRate schedule() {
        return new LearningRate(lr, minLr, warmup, steps);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
