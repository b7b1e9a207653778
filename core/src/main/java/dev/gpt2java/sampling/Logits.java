package dev.gpt2java.sampling;

/** Helpers shared by the filters: softmax in double, stable index sorts, argument checks. */
final class Logits {

    private Logits() {
    }

    /** {@code softmax(logits)} in double precision; zero where the logit is {@code -Infinity}. */
    static double[] softmax(float[] logits) {
        double[] p = new double[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every token is filtered out (all logits are -Infinity)");
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
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
