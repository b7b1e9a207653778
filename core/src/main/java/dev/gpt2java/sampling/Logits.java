package dev.gpt2java.sampling;

/**
 * The small math over one position's logits, in one place for sampling, search, inspection and the
 * command line: {@link #argmax}, {@link #softmax}, {@link #logSoftmax} and {@link #topK}. The float
 * logits are read as doubles and everything is computed in double precision; among equal values the
 * lower index comes first (as {@code torch.argmax} and a stable sort). A logit of {@code -Infinity}
 * (a token a filter removed) has probability 0; logits that are all {@code -Infinity} have no
 * distribution and {@link #softmax} and {@link #logSoftmax} refuse them.
 *
 * <p>Also the package's own helpers for the filters: stable index sorts and argument checks.
 */
public final class Logits {

    private Logits() {
    }

    /**
     * The index of the largest value; the lowest index on a tie (greedy decoding's choice). Values are
     * compared with {@code >}: a NaN is never chosen, except at index 0, which nothing exceeds.
     *
     * @throws IllegalArgumentException for an empty array
     */
    public static int argmax(float[] values) {
        require(values.length > 0, "argmax of an empty array");
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * {@code softmax(logits)} in double precision: {@code exp(l - max) / sum}, the sum taken in index
     * order; exactly zero where the logit is {@code -Infinity}. A NaN logit makes every probability NaN.
     *
     * @throws IllegalArgumentException if every logit is {@code -Infinity} (or there are none)
     */
    public static double[] softmax(float[] logits) {
        double[] p = widen(logits);
        expNormalize(p, checkedMax(logits));
        return p;
    }

    /** {@code z = softmax(z)} in place, as {@link #softmax(float[])} computes (for finite scores such as a classifier's). */
    public static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        expNormalize(z, max);
    }

    /** {@code z[i] = exp(z[i] - max) / sum}, the sum taken in index order. */
    private static void expNormalize(double[] z, double max) {
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= sum;
        }
    }

    /**
     * {@code log(softmax(logits))} in double precision: {@code l - (max + log(sum(exp(l - max))))}, the
     * sum taken in index order; {@code -Infinity} where the logit is. A NaN logit makes every value NaN.
     *
     * @throws IllegalArgumentException if every logit is {@code -Infinity} (or there are none)
     */
    public static double[] logSoftmax(float[] logits) {
        double max = checkedMax(logits);
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }

    /** As {@link #topK(double[], int)}, on float values (widened exactly to double). */
    public static int[] topK(float[] values, int k) {
        return topK(widen(values), k);
    }

    /**
     * The indices of the {@code min(k, values.length)} largest values, largest first; equal values by
     * ascending index (so {@code topK(v, 1)[0]} is {@link #argmax} for values without NaN). A NaN ranks
     * below every number, {@code -Infinity} included; {@code -0.0} and {@code 0.0} are equal. O(n log k).
     *
     * @throws IllegalArgumentException for a negative {@code k}
     */
    public static int[] topK(double[] values, int k) {
        require(k >= 0, "k must be >= 0, was " + k);
        k = Math.min(k, values.length);
        int[] heap = new int[k]; // a min-heap of the kept indices: heap[0] ranks lowest
        int size = 0;
        for (int i = 0; i < values.length && k > 0; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, values);
            } else if (ranksAbove(i, heap[0], values)) {
                heap[0] = i;
                siftDown(heap, size, values);
            }
        }
        int[] out = new int[size];
        for (int j = size - 1; j >= 0; j--) {
            out[j] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size, values);
        }
        return out;
    }

    /** i ranks above j: a larger value, or an equal one at a lower index; NaN lowest. */
    private static boolean ranksAbove(int i, int j, double[] v) {
        double a = v[i];
        double b = v[j];
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return a > b || (a == b && i < j);
    }

    private static void siftUp(int[] h, int i, double[] v) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!ranksAbove(h[parent], h[i], v)) {
                return;
            }
            swap(h, parent, i);
            i = parent;
        }
    }

    private static void siftDown(int[] h, int size, double[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int lowest = i;
            if (l < size && ranksAbove(h[lowest], h[l], v)) {
                lowest = l;
            }
            if (r < size && ranksAbove(h[lowest], h[r], v)) {
                lowest = r;
            }
            if (lowest == i) {
                return;
            }
            swap(h, lowest, i);
            i = lowest;
        }
    }

    private static void swap(int[] h, int a, int b) {
        int t = h[a];
        h[a] = h[b];
        h[b] = t;
    }

    /** The largest logit; refuses logits that are all -Infinity. */
    private static double checkedMax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        require(max != Double.NEGATIVE_INFINITY, "every token is filtered out (all logits are -Infinity)");
        return max;
    }

    /**
     * Token ids ordered by ascending {@code key}; equal keys keep ascending id order (a stable
     * sort, as {@code torch.sort(stable=True)}).
     */
    static int[] ascending(double[] key) {
        int n = key.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] tmp = new int[n];
        // bottom-up merge sort: stable, no boxing
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
        return a;
    }

    static double[] widen(float[] logits) {
        double[] d = new double[logits.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = logits[i];
        }
        return d;
    }

    /** The last {@code lastN} tokens of {@code history}; all of it for {@code lastN == -1}. */
    static int[] window(int[] history, int lastN) {
        if (lastN == -1 || lastN >= history.length) {
            return history;
        }
        return java.util.Arrays.copyOfRange(history, history.length - lastN, history.length);
    }

    static int checkedToken(int token, int nVocab) {
        if (token < 0 || token >= nVocab) {
            throw new IllegalArgumentException("token " + token + " in history is outside the vocabulary [0, " + nVocab + ")");
        }
        return token;
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void requireMinKeep(int minKeep) {
        require(minKeep >= 1, "minKeep must be in [1, " + Integer.MAX_VALUE + "], was " + minKeep);
    }

    static void requireLastN(int lastN) {
        require(lastN >= -1, "lastN must be -1 (the whole history) or in [0, " + Integer.MAX_VALUE + "], was " + lastN);
    }
}
