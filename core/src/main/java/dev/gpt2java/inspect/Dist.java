package dev.gpt2java.inspect;

/** Softmax and top-k helpers shared by the inspect classes. */
final class Dist {

    private Dist() {
    }

    static void checkProbs(double[] probs) {
        for (int i = 0; i < probs.length; i++) {
            double p = probs[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability " + i + " is not in [0, 1]: " + p);
            }
            if (i > 0 && p > probs[i - 1]) {
                throw new IllegalArgumentException("probabilities must be non-increasing: " + probs[i - 1] + " then " + p);
            }
        }
    }

    /** Indices of the k largest values, largest first; ties by lower index. O(n log k). */
    static int[] topIndices(float[] v, int k) {
        k = Math.min(k, v.length);
        int[] heap = new int[k]; // min-heap: heap[0] is the worst kept
        int size = 0;
        for (int i = 0; i < v.length; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, v);
            } else if (better(i, heap[0], v)) {
                heap[0] = i;
                siftDown(heap, size, v);
            }
        }
        int[] out = new int[size];
        for (int j = size - 1; j >= 0; j--) {
            out[j] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size, v);
        }
        return out;
    }

    /** i ranks above j: larger value, or equal value and lower index. NaN ranks lowest. */
    private static boolean better(int i, int j, float[] v) {
        float a = v[i], b = v[j];
        if (Float.isNaN(a)) {
            return false;
        }
        if (Float.isNaN(b)) {
            return true;
        }
        return a > b || (a == b && i < j);
    }

    private static void siftUp(int[] h, int i, float[] v) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (better(h[p], h[i], v)) {
                int t = h[p];
                h[p] = h[i];
                h[i] = t;
                i = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] h, int size, float[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < size && better(h[m], h[l], v)) {
                m = l;
            }
            if (r < size && better(h[m], h[r], v)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            int t = h[m];
            h[m] = h[i];
            h[i] = t;
            i = m;
        }
    }

    /** Probabilities of {@code ids} under softmax(logits), in double precision. */
    static double[] softmaxAt(float[] logits, int[] ids) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        double[] p = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            p[i] = Math.min(1.0, Math.exp(logits[ids[i]] - max) / sum);
        }
        // exp is monotone, but keep the order strict against rounding of equal logits
        for (int i = 1; i < p.length; i++) {
            p[i] = Math.min(p[i], p[i - 1]);
        }
        return p;
    }
}
