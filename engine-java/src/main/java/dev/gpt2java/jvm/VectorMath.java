package dev.gpt2java.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector arithmetic that gives the same bits however the JVM runs it.
 *
 * <p>The Vector API leaves the order of {@code reduceLanes(ADD)}'s additions unspecified and lets
 * {@code EXP} and {@code TANH} be off by an ulp. In HotSpot, the Java code that runs a method before C2
 * compiles it adds the lanes one by one and calls {@code Math.exp} per lane; C2's intrinsics add in a
 * tree and call SVML. A method therefore returns different bits before and after warm-up, and a training
 * run resumed in a warm JVM no longer ends where an uninterrupted one does. The operations here are
 * built only from lane-wise add, multiply, fma, divide, min/max, compare, blend, rearrange and exact
 * conversions, which IEEE 754 and the Vector API specify to the bit.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> PREFERRED = FloatVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float>[] PREFERRED_TREE = tree(PREFERRED);

    private VectorMath() {
    }

    /**
     * The sum of v's lanes, added pairwise: lane i with lane i + L/2, then with i + L/4, and so on (L the
     * lane count), in that order on every path.
     */
    public static float sum(FloatVector v) {
        VectorShuffle<Float>[] tree = v.species() == PREFERRED ? PREFERRED_TREE : tree(v.species());
        for (VectorShuffle<Float> s : tree) {
            v = v.add(v.rearrange(s));
        }
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] tree(VectorSpecies<Float> species) {
        int lanes = species.length();
        int steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] tree = new VectorShuffle[steps];
        for (int s = 0, half = lanes / 2; s < steps; s++, half /= 2) {
            final int h = half;
            tree[s] = VectorShuffle.fromOp(species, i -> (i + h) % lanes);
        }
        return tree;
    }

    // exp(x) = 2^n · exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2, ln2/2], ln 2 split in two
    // so that n · LN2_HI is exact; exp(r) by the degree-6 minimax polynomial of Cephes' expf.
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f;          // 1.5 · 2^23: x + ROUND - ROUND rounds x to an integer
    private static final float HIGHEST = 88.72283935546875f; // above: 2^128 or more, +∞
    private static final float LOWEST = -87.33654475f;      // ln 2^-126: below, the result is flushed to 0

    /**
     * e^x lane by lane, within 2 ulp of {@code Math.exp} for normal results; +∞ above 88.72, 0 where the
     * result would be subnormal (x &lt; −87.34) and for −∞, NaN for NaN.
     */
    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> sp = x.species();
        VectorMask<Float> underflow = x.lt(LOWEST);
        FloatVector xc = x.min(HIGHEST).max(LOWEST);
        FloatVector n = xc.fma(LOG2E, ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(sp, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(sp, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(sp, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(sp, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(sp, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(sp, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n in two factors, so that n = 128 (x near HIGHEST) overflows to +∞ in the product, not in the bits
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        y = y.mul(pow2(half)).mul(pow2(ni.sub(half)));
        return y.blend(0f, underflow);
    }

    /** 2^k for k in [-126, 127], from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);

    /**
     * HF's "gelu_new", 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), written as x / (1 + e^(−2u)) with
     * u = √(2/π)(x + 0.044715x³): the same function, with no cancellation in 1 + tanh for negative u.
     */
    public static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).fma(0.044715f, 1f).mul(x).mul(GELU_K);
        return x.div(exp(u.mul(-2f)).add(1f));
    }
}
