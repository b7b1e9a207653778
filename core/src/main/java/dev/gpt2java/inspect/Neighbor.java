package dev.gpt2java.inspect;

import java.util.Objects;

/**
 * A token found by {@link Embeddings}: its id, text and cosine similarity to the query vector.
 *
 * @param id         token id
 * @param piece      the token's text
 * @param similarity cosine similarity in [-1, 1]
 */
public record Neighbor(int id, String piece, double similarity) {

    public Neighbor {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0, was " + id);
        }
        Objects.requireNonNull(piece, "piece");
        if (!(similarity >= -1 - 1e-9 && similarity <= 1 + 1e-9)) {
            throw new IllegalArgumentException("similarity must be in [-1, 1], was " + similarity);
        }
    }
}
