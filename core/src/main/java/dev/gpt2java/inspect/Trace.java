package dev.gpt2java.inspect;

import java.util.List;
import java.util.Objects;

/**
 * What one forward pass over a prompt computed, made by {@link Inspector#trace}.
 *
 * <p>The large arrays ({@code attention}, {@code hidden}) are held as given, not copied: treat them
 * as read-only.
 *
 * @param tokens    the prompt's token ids ({@code n} of them)
 * @param pieces    their text, one string per token ({@link dev.gpt2java.tokenizer.Gpt2Tokenizer#pieces})
 * @param nextToken the top tokens after the last position
 * @param attention attention probabilities {@code [layer][head][query][key]}, {@code [nLayer][nHead][n][n]};
 *                  keys after the query are 0
 * @param hidden    hidden states {@code [index][token][embd]}, {@code nLayer + 2} entries: 0 the input
 *                  embeddings (wte + wpe), 1..nLayer the output of that block, nLayer+1 after the final
 *                  LayerNorm (as {@link dev.gpt2java.Session#hidden})
 * @param lens      the logit lens, layer-major: for each hidden-state index 0..nLayer and each position,
 *                  {@code unembed(hidden[layer], true)} reduced to its top tokens
 *                  ({@code (nLayer + 1) * n} entries; see {@link #lens(int, int)})
 */
public record Trace(int[] tokens, List<String> pieces, TopTokens nextToken, float[][][][] attention,
                    float[][][] hidden, List<LensEntry> lens) {

    public Trace {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(pieces, "pieces");
        Objects.requireNonNull(nextToken, "nextToken");
        Objects.requireNonNull(attention, "attention");
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(lens, "lens");
        int n = tokens.length;
        if (n == 0) {
            throw new IllegalArgumentException("a trace needs at least one token");
        }
        if (pieces.size() != n) {
            throw new IllegalArgumentException(pieces.size() + " pieces for " + n + " tokens");
        }
        int nLayer = attention.length;
        if (nLayer == 0) {
            throw new IllegalArgumentException("attention has no layers");
        }
        for (int l = 0; l < nLayer; l++) {
            float[][][] a = attention[l];
            if (a == null || a.length == 0 || a.length != attention[0].length) {
                throw new IllegalArgumentException("attention layer " + l + " has no or a different number of heads");
            }
            for (float[][] head : a) {
                if (head.length != n) {
                    throw new IllegalArgumentException("attention layer " + l + ": " + head.length + " queries for " + n + " tokens");
                }
                for (float[] q : head) {
                    if (q.length != n) {
                        throw new IllegalArgumentException("attention layer " + l + ": " + q.length + " keys for " + n + " tokens");
                    }
                }
            }
        }
        if (hidden.length != nLayer + 2) {
            throw new IllegalArgumentException(hidden.length + " hidden states for " + nLayer + " layers (want nLayer + 2)");
        }
        int nEmbd = hidden[0].length == n && n > 0 ? hidden[0][0].length : -1;
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i].length != n) {
                throw new IllegalArgumentException("hidden state " + i + " has " + hidden[i].length + " rows for " + n + " tokens");
            }
            for (float[] row : hidden[i]) {
                if (row.length != nEmbd) {
                    throw new IllegalArgumentException("hidden state " + i + " has a row of " + row.length + " values, not " + nEmbd);
                }
            }
        }
        if (lens.size() != (nLayer + 1) * n) {
            throw new IllegalArgumentException(lens.size() + " lens entries, want (nLayer + 1) * n = " + (nLayer + 1) * n);
        }
        for (int i = 0; i < lens.size(); i++) {
            LensEntry e = lens.get(i);
            if (e.layer() != i / n || e.position() != i % n) {
                throw new IllegalArgumentException("lens entry " + i + " is (" + e.layer() + ", " + e.position()
                        + "), want (" + i / n + ", " + i % n + ")");
            }
        }
        tokens = tokens.clone();
        pieces = List.copyOf(pieces);
        lens = List.copyOf(lens);
    }

    /** A copy of the token ids. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Number of tokens. */
    public int length() {
        return tokens.length;
    }

    /** Number of layers (blocks). */
    public int nLayer() {
        return attention.length;
    }

    /** Number of attention heads. */
    public int nHead() {
        return attention[0].length;
    }

    /** The lens entry of hidden-state index {@code layer} (0..nLayer) at {@code position}. */
    public LensEntry lens(int layer, int position) {
        if (layer < 0 || layer > nLayer()) {
            throw new IndexOutOfBoundsException("layer " + layer + " is not in 0.." + nLayer());
        }
        if (position < 0 || position >= tokens.length) {
            throw new IndexOutOfBoundsException("position " + position + " is not in 0.." + (tokens.length - 1));
        }
        return lens.get(layer * tokens.length + position);
    }
}
