package dev.gpt2java.jvm;


import dev.gpt2java.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 2-D weight tensor used in place in the mapped file: {@code rows} rows (ggml ne1) of {@code cols}
 * elements (ne0, contiguous). The quantized kinds decode each block in registers inside the dot
 * product; no dequantized copy of the weights is ever made. Every kind has a Vector API kernel and a
 * scalar one ({@code vector} picks), which compute the same sums up to summation order.
 */
abstract sealed class WeightMatrix permits WeightMatrix.F32, WeightMatrix.F16, WeightMatrix.Q8_0, WeightMatrix.Q4_0 {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * 16));
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    /** Float vectors per 16 bytes expanded. */
    static final int PARTS16 = 16 / F.length();
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    final int rows;
    final int cols;
    final MemorySegment data;
    final long rowBytes;

    WeightMatrix(MemorySegment data, int rows, int cols, long rowBytes) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = rowBytes;
    }

    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32(data, rows, cols);
            case F16 -> new F16(data, rows, cols);
            case Q8_0 -> new Q8_0(data, rows, cols);
            case Q4_0 -> new Q4_0(data, rows, cols);
            default -> throw new IllegalArgumentException("type " + type + " is not supported by the JVM engine"
                    + " (F32, F16, Q8_0, Q4_0 are)");
        };
    }

    /** Whether the Vector API kernels can run here (lanes fit the block layouts). */
    static boolean vectorUsable() {
        return F.length() >= 4 && F.length() <= 16;
    }

    /** row {@code r} · x[xOff .. xOff+cols). */
    final float dot(int r, float[] x, int xOff, boolean vector) {
        long base = r * rowBytes;
        return vector ? dotVector(base, x, xOff) : dotScalar(base, x, xOff);
    }

    /**
     * out[t*outStride + r] = row r · x[t*xStride .. +cols) + bias[r] (bias may be null), for rows
     * [from, to) and tokens t in [0, nTok). With {@code vector}, tokens go four at a time through
     * {@link #dot4Vector}, which decodes each block of weights once for the four.
     */
    final void matmulRows(int from, int to, float[] x, int xStride, int nTok, float[] bias, float[] out, int outStride,
                          boolean vector) {
        for (int r = from; r < to; r++) {
            long base = r * rowBytes;
            float b = bias == null ? 0f : bias[r];
            int t = 0;
            if (vector) {
                for (; t + 4 <= nTok; t += 4) {
                    dot4Vector(base, x, t * xStride, xStride, out, t * outStride + r, outStride, b);
                }
            }
            for (; t < nTok; t++) {
                out[t * outStride + r] = (vector ? dotVector(base, x, t * xStride) : dotScalar(base, x, t * xStride)) + b;
            }
        }
    }

    abstract float dotVector(long base, float[] x, int xOff);

    /**
     * out[o + k*outStride] = row · x[x0 + k*xStride .. +cols) + bias for k in 0..3. This default makes
     * four single dots; the kinds whose decoding costs override it.
     */
    void dot4Vector(long base, float[] x, int x0, int xStride, float[] out, int o, int outStride, float bias) {
        for (int k = 0; k < 4; k++) {
            out[o + k * outStride] = dotVector(base, x, x0 + k * xStride) + bias;
        }
    }

    abstract float dotScalar(long base, float[] x, int xOff);

    /** Decodes row {@code r} into out[off .. off+cols). */
    abstract void row(int r, float[] out, int off);

    static float f16(MemorySegment m, long off) {
        return Float.float16ToFloat(m.get(I16_LE, off));
    }

    static final class F32 extends WeightMatrix {
        F32(MemorySegment d, int rows, int cols) {
            super(d, rows, cols, 4L * cols);
        }

        @Override
        float dotVector(long base, float[] x, int xOff) {
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            int bound = F.loopBound(cols);
            for (; i < bound; i += F.length()) {
                FloatVector w = FloatVector.fromMemorySegment(F, data, base + 4L * i, LE);
                acc = w.fma(FloatVector.fromArray(F, x, xOff + i), acc);
            }
            float s = VectorMath.sum(acc);
            for (; i < cols; i++) {
                s += data.get(F32_LE, base + 4L * i) * x[xOff + i];
            }
            return s;
        }

        @Override
        float dotScalar(long base, float[] x, int xOff) {
            float s = 0;
            for (int i = 0; i < cols; i++) {
                s = Math.fma(data.get(F32_LE, base + 4L * i), x[xOff + i], s);
            }
            return s;
        }

        @Override
        void row(int r, float[] out, int off) {
            MemorySegment.copy(data, F32_LE, r * rowBytes, out, off, cols);
        }
    }

    /**
     * IEEE half floats. The vector kernel decodes in three lanewise operations: the half's bits,
     * sign-extended to 32, shifted left by 13 and masked with 0x8fffffff are the float whose value is
     * the half's times 2^-112 (normals and subnormals alike; GGUF weights hold no infinities or NaNs).
     * The dot product is summed at that scale and multiplied by 2^112 once at the end: exact for each
     * weight, and the sums stay far above float's subnormal range wherever it matters (an absolute error
     * below 2^-37 in the real scale).
     */
    static final class F16 extends WeightMatrix {
        private static final float UNSCALE = 0x1p112f;

        F16(MemorySegment d, int rows, int cols) {
            super(d, rows, cols, 2L * cols);
        }

        /** F.length() halves at {@code off}, as floats scaled by 2^-112. */
        private FloatVector scaled(long off) {
            ShortVector h = ShortVector.fromMemorySegment(S, data, off, LE);
            return ((IntVector) h.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 13)
                    .and(0x8fffffff).reinterpretAsFloats();
        }

        @Override
        float dotVector(long base, float[] x, int xOff) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int n = F.length();
            int i = 0;
            for (int bound = cols - 2 * n; i <= bound; i += 2 * n) {
                acc0 = scaled(base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
                acc1 = scaled(base + 2L * (i + n)).fma(FloatVector.fromArray(F, x, xOff + i + n), acc1);
            }
            for (int bound = F.loopBound(cols); i < bound; i += n) {
                acc0 = scaled(base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            }
            float s = VectorMath.sum(acc0.add(acc1)) * UNSCALE;
            for (; i < cols; i++) {
                s += f16(data, base + 2L * i) * x[xOff + i];
            }
            return s;
        }

        @Override
        void dot4Vector(long base, float[] x, int x0, int xs, float[] out, int o, int os, float bias) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int i = 0;
            for (int bound = F.loopBound(cols); i < bound; i += F.length()) {
                FloatVector w = scaled(base + 2L * i);
                a0 = w.fma(FloatVector.fromArray(F, x, x0 + i), a0);
                a1 = w.fma(FloatVector.fromArray(F, x, x0 + xs + i), a1);
                a2 = w.fma(FloatVector.fromArray(F, x, x0 + 2 * xs + i), a2);
                a3 = w.fma(FloatVector.fromArray(F, x, x0 + 3 * xs + i), a3);
            }
            float s0 = VectorMath.sum(a0) * UNSCALE;
            float s1 = VectorMath.sum(a1) * UNSCALE;
            float s2 = VectorMath.sum(a2) * UNSCALE;
            float s3 = VectorMath.sum(a3) * UNSCALE;
            for (; i < cols; i++) {
                float w = f16(data, base + 2L * i);
                s0 += w * x[x0 + i];
                s1 += w * x[x0 + xs + i];
                s2 += w * x[x0 + 2 * xs + i];
                s3 += w * x[x0 + 3 * xs + i];
            }
            out[o] = s0 + bias;
            out[o + os] = s1 + bias;
            out[o + 2 * os] = s2 + bias;
            out[o + 3 * os] = s3 + bias;
        }

        @Override
        float dotScalar(long base, float[] x, int xOff) {
            float s = 0;
            for (int i = 0; i < cols; i++) {
                s = Math.fma(f16(data, base + 2L * i), x[xOff + i], s);
            }
            return s;
        }

        @Override
        void row(int r, float[] out, int off) {
            long base = r * rowBytes;
            for (int i = 0; i < cols; i++) {
                out[off + i] = f16(data, base + 2L * i);
            }
        }
    }

    /** Blocks of 32: fp16 scale d, then 32 int8 q; x = d * q. */
    static final class Q8_0 extends WeightMatrix {
        Q8_0(MemorySegment d, int rows, int cols) {
            super(d, rows, cols, (long) cols / 32 * 34);
        }

        @Override
        float dotVector(long base, float[] x, int xOff) {
            FloatVector acc = FloatVector.zero(F);
            int nb = cols / 32;
            for (int b = 0; b < nb; b++) {
                long blk = base + 34L * b;
                FloatVector d = FloatVector.broadcast(F, f16(data, blk));
                FloatVector sum = FloatVector.zero(F);
                for (int half = 0; half < 2; half++) {
                    ByteVector q = ByteVector.fromMemorySegment(B128, data, blk + 2 + 16 * half, LE);
                    int xi = xOff + 32 * b + 16 * half;
                    for (int p = 0; p < PARTS16; p++) {
                        FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
                        sum = w.fma(FloatVector.fromArray(F, x, xi + p * F.length()), sum);
                    }
                }
                acc = sum.fma(d, acc);
            }
            return VectorMath.sum(acc);
        }

        @Override
        void dot4Vector(long base, float[] x, int x0, int xs, float[] out, int o, int os, float bias) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int nb = cols / 32;
            for (int b = 0; b < nb; b++) {
                long blk = base + 34L * b;
                FloatVector d = FloatVector.broadcast(F, f16(data, blk));
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                for (int half = 0; half < 2; half++) {
                    ByteVector q = ByteVector.fromMemorySegment(B128, data, blk + 2 + 16 * half, LE);
                    for (int p = 0; p < PARTS16; p++) {
                        FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
                        int xi = 32 * b + 16 * half + p * F.length();
                        s0 = w.fma(FloatVector.fromArray(F, x, x0 + xi), s0);
                        s1 = w.fma(FloatVector.fromArray(F, x, x0 + xs + xi), s1);
                        s2 = w.fma(FloatVector.fromArray(F, x, x0 + 2 * xs + xi), s2);
                        s3 = w.fma(FloatVector.fromArray(F, x, x0 + 3 * xs + xi), s3);
                    }
                }
                a0 = s0.fma(d, a0);
                a1 = s1.fma(d, a1);
                a2 = s2.fma(d, a2);
                a3 = s3.fma(d, a3);
            }
            out[o] = VectorMath.sum(a0) + bias;
            out[o + os] = VectorMath.sum(a1) + bias;
            out[o + 2 * os] = VectorMath.sum(a2) + bias;
            out[o + 3 * os] = VectorMath.sum(a3) + bias;
        }

        @Override
        float dotScalar(long base, float[] x, int xOff) {
            float s = 0;
            int nb = cols / 32;
            for (int b = 0; b < nb; b++) {
                long blk = base + 34L * b;
                float d = f16(data, blk);
                float sum = 0;
                int xi = xOff + 32 * b;
                for (int j = 0; j < 32; j++) {
                    sum = Math.fma(data.get(ValueLayout.JAVA_BYTE, blk + 2 + j), x[xi + j], sum);
                }
                s = Math.fma(sum, d, s);
            }
            return s;
        }

        @Override
        void row(int r, float[] out, int off) {
            long base = r * rowBytes;
            for (int b = 0; b < cols / 32; b++) {
                long blk = base + 34L * b;
                float d = f16(data, blk);
                for (int j = 0; j < 32; j++) {
                    out[off + 32 * b + j] = d * data.get(ValueLayout.JAVA_BYTE, blk + 2 + j);
                }
            }
        }
    }

    /**
     * Blocks of 32: fp16 scale d, then 16 bytes; byte j holds element j in its low nibble and element
     * j + 16 in its high nibble; x = d * (q - 8) (ggml's dequantize_row_q4_0).
     */
    static final class Q4_0 extends WeightMatrix {
        Q4_0(MemorySegment d, int rows, int cols) {
            super(d, rows, cols, (long) cols / 32 * 18);
        }

        @Override
        float dotVector(long base, float[] x, int xOff) {
            FloatVector acc = FloatVector.zero(F);
            int nb = cols / 32;
            for (int b = 0; b < nb; b++) {
                long blk = base + 18L * b;
                FloatVector d = FloatVector.broadcast(F, f16(data, blk));
                ByteVector q = ByteVector.fromMemorySegment(B128, data, blk + 2, LE);
                ByteVector lo = q.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).sub((byte) 8);
                int xi = xOff + 32 * b;
                FloatVector sum = FloatVector.zero(F);
                for (int p = 0; p < PARTS16; p++) {
                    FloatVector wl = (FloatVector) lo.convertShape(VectorOperators.B2F, F, p);
                    sum = wl.fma(FloatVector.fromArray(F, x, xi + p * F.length()), sum);
                    FloatVector wh = (FloatVector) hi.convertShape(VectorOperators.B2F, F, p);
                    sum = wh.fma(FloatVector.fromArray(F, x, xi + 16 + p * F.length()), sum);
                }
                acc = sum.fma(d, acc);
            }
            return VectorMath.sum(acc);
        }

        @Override
        float dotScalar(long base, float[] x, int xOff) {
            float s = 0;
            int nb = cols / 32;
            for (int b = 0; b < nb; b++) {
                long blk = base + 18L * b;
                float d = f16(data, blk);
                float sum = 0;
                int xi = xOff + 32 * b;
                for (int j = 0; j < 16; j++) {
                    int q = data.get(ValueLayout.JAVA_BYTE, blk + 2 + j) & 0xFF;
                    sum = Math.fma((q & 0x0F) - 8, x[xi + j], sum);
                    sum = Math.fma((q >>> 4) - 8, x[xi + 16 + j], sum);
                }
                s = Math.fma(sum, d, s);
            }
            return s;
        }

        @Override
        void row(int r, float[] out, int off) {
            long base = r * rowBytes;
            for (int b = 0; b < cols / 32; b++) {
                long blk = base + 18L * b;
                float d = f16(data, blk);
                for (int j = 0; j < 16; j++) {
                    int q = data.get(ValueLayout.JAVA_BYTE, blk + 2 + j) & 0xFF;
                    out[off + 32 * b + j] = d * ((q & 0x0F) - 8);
                    out[off + 32 * b + 16 + j] = d * ((q >>> 4) - 8);
                }
            }
        }
    }
}
