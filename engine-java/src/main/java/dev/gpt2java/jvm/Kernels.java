package dev.gpt2java.jvm;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The forward pass's small operations on F32 activations, each with a Vector API and a scalar form. */
final class Kernels {

    /** Vector API on unless {@code -Dgpt2.jvm.vector=false} (or the lanes don't fit). */
    static final boolean VECTOR_DEFAULT = !"false".equalsIgnoreCase(System.getProperty("gpt2.jvm.vector"))
            && WeightMatrix.vectorUsable();

    private static final VectorSpecies<Float> F = WeightMatrix.F;

    private Kernels() {
    }

    /**
     * out[t*outStride + outOff + r] = W[r] · x[t*xStride .. +cols) + bias[r], for r in [0, rows), t in [0, nTok).
     * Parallel over rows; each weight row is read once for all tokens.
     */
    static void matmul(Parallel par, boolean vector, WeightMatrix w, float[] bias, float[] x, int xStride, int nTok,
                       float[] out, int outStride) {
        par.forRange(w.rows, 16, (from, to) -> w.matmulRows(from, to, x, xStride, nTok, bias, out, outStride, vector));
    }

    /** a[aOff..+n) · b[bOff..+n). */
    static float dot(boolean vector, float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float s = 0;
        if (vector) {
            FloatVector acc = FloatVector.zero(F);
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
            }
            s = VectorMath.sum(acc);
        }
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    /** y[yOff..+n) += alpha * x[xOff..+n). */
    static void axpy(boolean vector, float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (vector) {
            FloatVector va = FloatVector.broadcast(F, alpha);
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    /** LayerNorm of each of nTok rows of n: out = (x - mean) / sqrt(var + eps) * w + b (statistics in double). */
    static void layerNorm(float[] x, float[] out, int nTok, int n, float[] w, float[] b, float eps) {
        for (int t = 0; t < nTok; t++) {
            int o = t * n;
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[o + i];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = x[o + i] - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int i = 0; i < n; i++) {
                out[o + i] = (float) ((x[o + i] - mean) * inv) * w[i] + b[i];
            }
        }
    }

    /** y[0..n) += x[0..n). */
    static void add(float[] y, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += x[i];
        }
    }

    /**
     * HF "gelu_new" in place: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The scalar form computes
     * in double with the exact tanh; the vector form in float with {@link VectorMath#geluTanh} (a few ulps,
     * and the same bits whether or not C2 has compiled it).
     */
    static void geluTanh(boolean vector, float[] x, int from, int to) {
        int i = from;
        if (vector) {
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                VectorMath.geluTanh(FloatVector.fromArray(F, x, i)).intoArray(x, i);
            }
        }
        final double c = Math.sqrt(2.0 / Math.PI);
        for (; i < to; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Math.tanh(c * (v + 0.044715 * v * v * v))));
        }
    }

    /** Index of the largest value (the first on ties). */
    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
