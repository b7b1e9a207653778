package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import java.util.Objects;

/**
 * The shape and seed of a random GPT-2 model for {@link Gpt2#writeRandomModel}
 * ({@code gpt2_random_model_params}): the same parameters give the same file.
 *
 * @param nVocab      vocabulary: 256 byte tokens, merges of them, and {@code <|endoftext|>} last; 257..2^20
 * @param nCtx        learned positions, 1..65536
 * @param nEmbd       embedding width, a multiple of nHead (and of 32 for quantized weight types), 1..32768
 * @param nHead       attention heads, 1..1024
 * @param nLayer      blocks, 1..1024
 * @param weightType  type of the 2-D matrices; norms and biases stay F32
 * @param tiedOutput  no {@code output.weight}: the token embeddings are the output matrix
 * @param seed        seed of the weights (an unsigned 64-bit value)
 * @param scale       standard deviation of the weights, finite and &gt; 0
 */
public record RandomModelParams(int nVocab, int nCtx, int nEmbd, int nHead, int nLayer, TensorType weightType,
                                boolean tiedOutput, long seed, float scale) {

    public RandomModelParams {
        Checks.inRange("nVocab", nVocab, 257, 1 << 20);
        Checks.inRange("nCtx", nCtx, 1, 1 << 16);
        Checks.inRange("nEmbd", nEmbd, 1, 1 << 15);
        Checks.inRange("nHead", nHead, 1, 1024);
        Checks.inRange("nLayer", nLayer, 1, 1024);
        Checks.require(nEmbd % nHead == 0, "nEmbd (" + nEmbd + ") must be a multiple of nHead (" + nHead + ")");
        Objects.requireNonNull(weightType, "weightType");
        Checks.require(!weightType.isQuantized() || nEmbd % 32 == 0,
                "nEmbd (" + nEmbd + ") must be a multiple of 32 for " + weightType + " weights");
        Checks.require(Float.isFinite(scale) && scale > 0, "scale must be finite and > 0, was " + scale);
    }

    /** libgpt2's tiny default: vocab 512, ctx 128, embd 64, 4 heads, 2 layers, F32, tied, seed 42, scale 0.02. */
    public static RandomModelParams defaults() {
        return new RandomModelParams(512, 128, 64, 4, 2, TensorType.F32, true, 42, 0.02f);
    }

    public RandomModelParams withNVocab(int nVocab) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withNCtx(int nCtx) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withNEmbd(int nEmbd) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withNHead(int nHead) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withNLayer(int nLayer) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withWeightType(TensorType weightType) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withTiedOutput(boolean tiedOutput) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withSeed(long seed) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }

    public RandomModelParams withScale(float scale) {
        return new RandomModelParams(nVocab, nCtx, nEmbd, nHead, nLayer, weightType, tiedOutput, seed, scale);
    }
}
