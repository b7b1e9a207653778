package dev.gpt2java;

import java.util.Objects;

/**
 * What a loaded model is: its {@link ModelShape}, and what its file holds beyond the shape. Each engine
 * returns one ({@link Gpt2Model#info()}); it is immutable and stays valid after the model is closed.
 *
 * @param name        {@code general.name} of the file, or "" if absent
 * @param shape       the hyper-parameters
 * @param weightType  type of the weight matrices (of {@code blk.0.attn_qkv.weight}); null for a ggml type that
 *                    gpt2.h does not name (the K-quants), which libgpt2 computes but {@link TensorType} lacks
 * @param outputTied  whether the output matrix is the token embeddings (no {@code output.weight})
 * @param nParams     parameters of all tensors
 * @param sizeBytes   bytes of all tensors
 * @param bosToken    the beginning-of-sequence token, or -1 if the file names none
 * @param eosToken    the end-of-sequence token, or -1 if the file names none
 * @param backendName where it computes: {@code "CPU"}, {@code "CUDA0"}, ..., {@code "Java"}
 */
public record ModelInfo(String name, ModelShape shape, TensorType weightType, boolean outputTied, long nParams,
                        long sizeBytes, int bosToken, int eosToken, String backendName) {

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(backendName, "backendName");
        if (nParams < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("nParams and sizeBytes must be >= 0, were " + nParams + ", " + sizeBytes);
        }
        if (bosToken < -1 || bosToken >= shape.nVocab() || eosToken < -1 || eosToken >= shape.nVocab()) {
            throw new IllegalArgumentException("bos/eos tokens " + bosToken + "/" + eosToken + " are not -1 or within [0, "
                    + shape.nVocab() + ")");
        }
    }
}
