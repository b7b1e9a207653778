package dev.gpt2java.jvm;

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

    abstract float dotVector(long base, float[] x, int xOff);

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
            float s = acc.reduceLanes(VectorOperators.ADD);
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

    static final class F16 extends WeightMatrix {
        F16(MemorySegment d, int rows, int cols) {
            super(d, rows, cols, 2L * cols);
        }

        @Override
        float dotVector(long base, float[] x, int xOff) {
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            int bound = F.loopBound(cols);
            for (; i < bound; i += F.length()) {
                ShortVector h = ShortVector.fromMemorySegment(S, data, base + 2L * i, LE);
                IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
                // |h| << 13 read as a float is the value scaled by 2^-112 (normals and subnormals alike)
                FloatVector mag = bits.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats()
                        .mul(0x1p112f);
                FloatVector w = mag.reinterpretAsInts().or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                        .reinterpretAsFloats();
                acc = w.fma(FloatVector.fromArray(F, x, xOff + i), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s += f16(data, base + 2L * i) * x[xOff + i];
            }
            return s;
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
            return acc.reduceLanes(VectorOperators.ADD);
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
            return acc.reduceLanes(VectorOperators.ADD);
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
