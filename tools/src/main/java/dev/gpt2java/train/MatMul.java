package dev.gpt2java.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two matrix products training needs, over row-major {@code float[]} with offsets, with the
 * Vector API: a 4-row by 4-vector register tile, each output element an FMA chain over k in order
 * (so every path, tiled or tail, gives the same bits). Work is split into tasks that own disjoint
 * output blocks.
 *
 * <ul>
 *   <li>{@link #mm}: C[N×M] (+)= A[N×K] · B[K×M] — the forward pass (with B a transposed weight) and
 *       the gradient of a layer's input (with B the weight);</li>
 *   <li>{@link #mmTA}: C[K×M] (+)= A[N×K]ᵀ · B[N×M] — the gradient of a weight.</li>
 * </ul>
 */
final class MatMul {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = 4 * L;     // columns of C per block
    private static final int NC = 64;       // rows of C per mm task
    private static final int KB = 256;      // k per pass in mm, so a block of B stays in cache
    private static final int KC = 16;       // rows of C per mmTA task

    private MatMul() {
    }

    /** C[n][j] = (accumulate ? C[n][j] : 0) + Σ_k A[n][k]·B[k][j]. */
    static void mm(Workers workers, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                   int n, int k, int m, boolean accumulate) {
        product(workers, c, cOff, a, aOff, k, 1, b, bOff, n, k, m, NC, KB, accumulate);
    }

    /** C[kk][j] = (accumulate ? C[kk][j] : 0) + Σ_n A[n][kk]·B[n][j]: mm's product with A read down its columns. */
    static void mmTA(Workers workers, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                     int n, int k, int m, boolean accumulate) {
        product(workers, c, cOff, a, aOff, 1, k, b, bOff, k, n, m, KC, n, accumulate);
    }

    /**
     * C[rows×m] (+)= A · B[inner×m], with A's element (i, t) at {@code a[aOff + i*aRow + t*aInner]}. A task owns
     * {@code rowsPerTask} rows of C by one block of W columns; the inner dimension is walked in passes of
     * {@code innerBlock} (so that a block of B stays in cache), each in order.
     */
    private static void product(Workers workers, float[] c, int cOff, float[] a, int aOff, int aRow, int aInner,
                                float[] b, int bOff, int rows, int inner, int m, int rowsPerTask, int innerBlock,
                                boolean accumulate) {
        int rowChunks = (rows + rowsPerTask - 1) / rowsPerTask;
        int mBlocks = (m + W - 1) / W;
        workers.forEach(rowChunks * mBlocks, task -> {
            int r0 = task / mBlocks * rowsPerTask, r1 = Math.min(rows, r0 + rowsPerTask);
            int m0 = task % mBlocks * W, m1 = Math.min(m, m0 + W);
            if (!accumulate) {
                zero(c, cOff, m, r0, r1, m0, m1);
            }
            for (int t0 = 0; t0 < inner; t0 += innerBlock) {
                int t1 = Math.min(inner, t0 + innerBlock);
                int i = r0;
                if (m1 - m0 == W) {
                    for (; i + 4 <= r1; i += 4) {
                        tile(c, cOff + i * m + m0, m, a, aOff + i * aRow, aRow, aInner, b, bOff + m0, m, t0, t1);
                    }
                }
                for (; i < r1; i++) {
                    for (int t = t0; t < t1; t++) {
                        axpy(a[aOff + i * aRow + t * aInner], b, bOff + t * m + m0, c, cOff + i * m + m0, m1 - m0);
                    }
                }
            }
        });
    }

    /** C[r0..r1)[m0..m1) = 0, C with rows of m. */
    private static void zero(float[] c, int cOff, int m, int r0, int r1, int m0, int m1) {
        for (int i = r0; i < r1; i++) {
            java.util.Arrays.fill(c, cOff + i * m + m0, cOff + i * m + m1, 0f);
        }
    }

    /** y[yOff..+len) = fma(alpha, x[xOff..], y) element by element. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        int j = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(len); j < bound; j += L) {
            va.fma(FloatVector.fromArray(S, x, xOff + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        }
        for (; j < len; j++) {
            y[yOff + j] = Math.fma(alpha, x[xOff + j], y[yOff + j]);
        }
    }

    /**
     * Rows of C at c, c+cs, c+2cs, c+3cs, 4 vectors wide: += Σ_{t in [t0,t1)} A(row, t) · B[t][·], with A(r, t) at
     * {@code a[ap + r*ar + t*at]} and B's row t at {@code b[bp + t*bs]}.
     */
    private static void tile(float[] c, int cp, int cs, float[] a, int ap, int ar, int at, float[] b, int bp, int bs,
                             int t0, int t1) {
        FloatVector c00 = FloatVector.fromArray(S, c, cp), c01 = FloatVector.fromArray(S, c, cp + L),
                c02 = FloatVector.fromArray(S, c, cp + 2 * L), c03 = FloatVector.fromArray(S, c, cp + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, cp + cs), c11 = FloatVector.fromArray(S, c, cp + cs + L),
                c12 = FloatVector.fromArray(S, c, cp + cs + 2 * L), c13 = FloatVector.fromArray(S, c, cp + cs + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, cp + 2 * cs), c21 = FloatVector.fromArray(S, c, cp + 2 * cs + L),
                c22 = FloatVector.fromArray(S, c, cp + 2 * cs + 2 * L), c23 = FloatVector.fromArray(S, c, cp + 2 * cs + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, cp + 3 * cs), c31 = FloatVector.fromArray(S, c, cp + 3 * cs + L),
                c32 = FloatVector.fromArray(S, c, cp + 3 * cs + 2 * L), c33 = FloatVector.fromArray(S, c, cp + 3 * cs + 3 * L);
        for (int t = t0; t < t1; t++) {
            int bo = bp + t * bs;
            int ao = ap + t * at;
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L),
                    b2 = FloatVector.fromArray(S, b, bo + 2 * L), b3 = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + ar]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + 2 * ar]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + 3 * ar]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        c00.intoArray(c, cp); c01.intoArray(c, cp + L); c02.intoArray(c, cp + 2 * L); c03.intoArray(c, cp + 3 * L);
        c10.intoArray(c, cp + cs); c11.intoArray(c, cp + cs + L); c12.intoArray(c, cp + cs + 2 * L); c13.intoArray(c, cp + cs + 3 * L);
        c20.intoArray(c, cp + 2 * cs); c21.intoArray(c, cp + 2 * cs + L); c22.intoArray(c, cp + 2 * cs + 2 * L);
        c23.intoArray(c, cp + 2 * cs + 3 * L);
        c30.intoArray(c, cp + 3 * cs); c31.intoArray(c, cp + 3 * cs + L); c32.intoArray(c, cp + 3 * cs + 2 * L);
        c33.intoArray(c, cp + 3 * cs + 3 * L);
    }

    /** dst[j][i] = src[srcOff + i*cols + j], for a rows × cols source. */
    static void transpose(Workers workers, float[] src, int srcOff, int rows, int cols, float[] dst) {
        final int tb = 32;
        int rBlocks = (rows + tb - 1) / tb;
        workers.forEach(rBlocks, rb -> {
            int i0 = rb * tb, i1 = Math.min(rows, i0 + tb);
            for (int j0 = 0; j0 < cols; j0 += tb) {
                int j1 = Math.min(cols, j0 + tb);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[j * rows + i] = src[srcOff + i * cols + j];
                    }
                }
            }
        });
    }
}
