package dev.gpt2java.inspect;

import dev.gpt2java.Gpt2Model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Nearest tokens in the token embedding matrix ({@code wte}) by cosine similarity, and word analogies
 * ({@code king - man + woman}).
 *
 * <p>Each query scans the whole vocabulary, {@value #CHUNK_ROWS} rows at a time through
 * {@link Gpt2Model#tokenEmbeddings}: the matrix is never held in Java whole. Similarities are computed in
 * double precision. A row of all zeros has similarity 0 to everything.
 *
 * <p>The {@code String} overloads turn a word into a vector with the model's tokenizer: a word of one
 * token is that token's embedding; a word of several tokens is the <b>mean of their embeddings</b>,
 * and all of its tokens count as the word when excluding inputs. Mind GPT-2's leading space:
 * {@code " king"} and {@code "king"} are different tokens.
 */
public final class Embeddings {

    /** Rows read per {@link Gpt2Model#tokenEmbeddings} call. */
    public static final int CHUNK_ROWS = 4096;

    private Embeddings() {
    }

    /** The embedding of token {@code id} ({@code wte[id]}). */
    public static float[] embedding(Gpt2Model model, int id) {
        Objects.requireNonNull(model, "model");
        checkToken(model, id);
        return model.tokenEmbeddings(id, 1)[0];
    }

    /** The tokens of {@code word} (the model's tokenizer, no special tokens); at least one. */
    public static int[] tokensOf(Gpt2Model model, String word) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(word, "word");
        int[] ids = model.tokenizer().encode(word);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the word \"" + word + "\" has no tokens");
        }
        return ids;
    }

    /** The vector of {@code word}: its token's embedding, or the mean of its tokens' embeddings. */
    public static float[] vectorOf(Gpt2Model model, String word) {
        return mean(model, tokensOf(model, word));
    }

    /**
     * The {@code k} tokens most similar to token {@code tokenId}, most similar first; the token itself
     * comes first (similarity 1) unless another row is identical to it.
     */
    public static List<Neighbor> nearest(Gpt2Model model, int tokenId, int k) {
        return nearest(model, embedding(model, tokenId), k, Set.of());
    }

    /** The {@code k} tokens most similar to {@code word}'s vector (see {@link #vectorOf}), the word's own tokens included. */
    public static List<Neighbor> nearest(Gpt2Model model, String word, int k) {
        return nearest(model, vectorOf(model, word), k, Set.of());
    }

    /**
     * The {@code k} tokens whose embeddings have the highest cosine similarity to {@code vector}, most
     * similar first (ties: lower id first), leaving out the ids in {@code exclude}.
     *
     * @param vector nEmbd values, not all zero
     * @param k      1..nVocab; fewer come back if the exclusions leave fewer tokens
     */
    public static List<Neighbor> nearest(Gpt2Model model, float[] vector, int k, Set<Integer> exclude) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(exclude, "exclude");
        int nEmbd = model.nEmbd(), nVocab = model.nVocab();
        if (vector.length != nEmbd) {
            throw new IllegalArgumentException("vector must have nEmbd = " + nEmbd + " values, has " + vector.length);
        }
        if (k < 1 || k > nVocab) {
            throw new IllegalArgumentException("k must be in 1.." + nVocab + ", was " + k);
        }
        double qNorm = 0;
        for (float x : vector) {
            qNorm += (double) x * x;
        }
        qNorm = Math.sqrt(qNorm);
        if (!(qNorm > 0) || Double.isInfinite(qNorm)) {
            throw new IllegalArgumentException("vector has norm " + qNorm + "; cosine similarity needs a finite non-zero vector");
        }
        // min-heap of the best k so far: worst on top (lower similarity, then higher id)
        Comparator<double[]> worstFirst = Comparator.<double[]>comparingDouble(a -> a[1])
                .thenComparing(a -> -a[0]);
        PriorityQueue<double[]> heap = new PriorityQueue<>(k + 1, worstFirst);
        for (int first = 0; first < nVocab; first += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, nVocab - first);
            float[][] rows = model.tokenEmbeddings(first, n);
            for (int i = 0; i < n; i++) {
                int id = first + i;
                if (exclude.contains(id)) {
                    continue;
                }
                double sim = cosine(vector, qNorm, rows[i]);
                double[] cand = {id, sim};
                if (heap.size() < k) {
                    heap.add(cand);
                } else if (worstFirst.compare(cand, heap.peek()) > 0) {
                    heap.poll();
                    heap.add(cand);
                }
            }
        }
        double[][] best = heap.toArray(new double[0][]);
        Arrays.sort(best, worstFirst.reversed());
        List<Neighbor> out = new ArrayList<>(best.length);
        var tok = model.tokenizer();
        for (double[] b : best) {
            int id = (int) b[0];
            out.add(new Neighbor(id, tok.pieces(new int[] {id}).get(0), Math.max(-1, Math.min(1, b[1]))));
        }
        return List.copyOf(out);
    }

    /**
     * Tokens nearest to {@code e(a) - e(b) + e(c)}, leaving out a, b and c: "a is to b as ? is to c"
     * ({@code analogy(king, man, woman)} should give queen).
     */
    public static List<Neighbor> analogy(Gpt2Model model, int a, int b, int c, int k) {
        Objects.requireNonNull(model, "model");
        return nearest(model, combine(embedding(model, a), embedding(model, b), embedding(model, c)), k, Set.of(a, b, c));
    }

    /**
     * As {@link #analogy(Gpt2Model, int, int, int, int)} on words; a word of several tokens stands for
     * the mean of their embeddings, and all tokens of the three words are left out.
     */
    public static List<Neighbor> analogy(Gpt2Model model, String a, String b, String c, int k) {
        int[] ta = tokensOf(model, a), tb = tokensOf(model, b), tc = tokensOf(model, c);
        Set<Integer> exclude = new HashSet<>();
        for (int[] t : new int[][] {ta, tb, tc}) {
            for (int id : t) {
                exclude.add(id);
            }
        }
        return nearest(model, combine(mean(model, ta), mean(model, tb), mean(model, tc)), k, exclude);
    }

    /** Cosine similarity of two vectors in double precision (0 if either is all zeros). */
    public static double cosine(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("lengths differ: " + x.length + " vs " + y.length);
        }
        double nx = 0;
        for (float v : x) {
            nx += (double) v * v;
        }
        return nx == 0 ? 0 : cosine(x, Math.sqrt(nx), y);
    }

    private static double cosine(float[] q, double qNorm, float[] row) {
        double dot = 0, rr = 0;
        for (int j = 0; j < q.length; j++) {
            double r = row[j];
            dot += q[j] * r;
            rr += r * r;
        }
        return rr == 0 ? 0 : dot / (qNorm * Math.sqrt(rr));
    }

    private static float[] combine(float[] a, float[] b, float[] c) {
        float[] v = new float[a.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) ((double) a[j] - b[j] + c[j]);
        }
        return v;
    }

    private static float[] mean(Gpt2Model model, int[] ids) {
        double[] sum = new double[model.nEmbd()];
        for (int id : ids) {
            float[] e = embedding(model, id);
            for (int j = 0; j < sum.length; j++) {
                sum[j] += e[j];
            }
        }
        float[] v = new float[sum.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (sum[j] / ids.length);
        }
        return v;
    }

    private static void checkToken(Gpt2Model model, int id) {
        if (id < 0 || id >= model.nVocab()) {
            throw new IllegalArgumentException("token id " + id + " out of range 0.." + (model.nVocab() - 1));
        }
    }
}
