package dev.gpt2java;

import java.util.Objects;

/**
 * What a loaded LoRA adapter is ({@link LoraAdapter#info()}); each engine describes its adapter with one.
 *
 * @param name      {@code general.name} of the file, or ""
 * @param rank      the largest rank of its matrices, >= 1
 * @param alpha     {@code adapter.lora.alpha}, or 0 when the file has none (the factor is then the session's scale)
 * @param nMatrices how many of the model's matrices it adapts (at most 4 per block), >= 1
 */
public record AdapterInfo(String name, int rank, float alpha, int nMatrices) {

    public AdapterInfo {
        Objects.requireNonNull(name, "name");
        if (rank < 1 || nMatrices < 1 || !(alpha >= 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("an adapter has rank >= 1, nMatrices >= 1 and a finite alpha >= 0; was rank "
                    + rank + ", nMatrices " + nMatrices + ", alpha " + alpha);
        }
    }
}
