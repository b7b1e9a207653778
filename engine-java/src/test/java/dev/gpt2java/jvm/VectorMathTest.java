package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static float[] apply(java.util.function.UnaryOperator<FloatVector> f, float... x) {
        int n = F.length();
        float[] padded = java.util.Arrays.copyOf(x, (x.length + n - 1) / n * n);
        float[] out = new float[padded.length];
        for (int i = 0; i < padded.length; i += n) {
            f.apply(FloatVector.fromArray(F, padded, i)).intoArray(out, i);
        }
        return java.util.Arrays.copyOf(out, x.length);
    }

    @Test
    void expIsWithinTwoUlpOfMathExpOverTheWholeNormalRange() {
        int n = 1 << 20;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -87.3f + (88.7f + 87.3f) * i / (n - 1);
        }
        float[] y = apply(VectorMath::exp, x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double ref = Math.exp(x[i]);
            double ulps = Math.abs(y[i] - ref) / Math.ulp((float) ref);
            worst = Math.max(worst, ulps);
        }
        System.out.printf("VectorMath.exp: worst %.2f ulp over [-87.3, 88.7]%n", worst);
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void expHandlesTheEdges() {
        float[] y = apply(VectorMath::exp, 0f, -0f, 1f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
                89f, 88.72f, -87.4f, -1000f, 1000f);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals((float) Math.E, y[2], Math.ulp((float) Math.E));
        assertEquals(0f, y[3]);
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertTrue(Float.isNaN(y[5]));
        assertEquals(Float.POSITIVE_INFINITY, y[6]);
        assertEquals((float) Math.exp(88.72f), y[7], 2 * Math.ulp((float) Math.exp(88.72f)));
        assertEquals(0f, y[8], "subnormal results are flushed to 0");
        assertEquals(0f, y[9]);
        assertEquals(Float.POSITIVE_INFINITY, y[10]);
    }

    @Test
    void sumAddsTheLanesPairwiseInAFixedOrder() {
        Random r = new Random(3);
        for (int trial = 0; trial < 1000; trial++) {
            float[] lanes = new float[F.length()];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
            // the documented order: lane i + lane i + L/2, then + L/4, ... on a copy
            float[] t = lanes.clone();
            for (int half = t.length / 2; half >= 1; half /= 2) {
                for (int i = 0; i < half; i++) {
                    t[i] += t[i + half];
                }
            }
            assertEquals(t[0], VectorMath.sum(FloatVector.fromArray(F, lanes, 0)));
        }
    }

    @Test
    void geluTanhMatchesTheTanhFormulaInDouble() {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -20f + 40f * i / (n - 1);
        }
        float[] y = apply(VectorMath::geluTanh, x);
        double c = Math.sqrt(2 / Math.PI), worst = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double ref = 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v)));
            worst = Math.max(worst, Math.abs(y[i] - ref) / Math.max(1e-3, Math.abs(ref)));
        }
        System.out.printf("VectorMath.geluTanh: worst relative error %.2e over [-20, 20]%n", worst);
        // u carries a few ulps of rounding, and e^(-2u) turns that into a relative error of about |2u| ulps
        assertTrue(worst < 3e-6, "worst relative error " + worst);
    }
}
