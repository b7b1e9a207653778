package dev.gpt2java.jvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API kernels and the scalar ones compute the same dot products and the same logits. */
class VectorAndScalarKernelsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f32", "f16", "q8_0", "q4_0"})
    void everyWeightRowDotsTheSameWithBothKernelsAndWithItsDecodedRow(String type) {
        try (JvmModel m = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-" + type + ".gguf"))) {
            for (WeightMatrix w : new WeightMatrix[] {m.tokenEmbd, m.layers[0].qkvW(), m.layers[1].downW()}) {
                float[] x = new float[w.cols];
                Random rnd = new Random(42);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                float[] row = new float[w.cols];
                double worst = 0;
                for (int r = 0; r < w.rows; r++) {
                    float v = w.dot(r, x, 0, true);
                    float s = w.dot(r, x, 0, false);
                    w.row(r, row, 0);
                    double ref = 0, mag = 0;
                    for (int i = 0; i < x.length; i++) {
                        ref += (double) row[i] * x[i];
                        mag += Math.abs((double) row[i] * x[i]);
                    }
                    worst = Math.max(worst, Math.max(Math.abs(v - ref), Math.abs(s - ref)) / mag);
                }
                assertTrue(worst <= 1e-5, type + " " + w.rows + "x" + w.cols + ": " + worst);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f32", "f16", "q8_0", "q4_0"})
    void aMatmulOfSeveralTokensEqualsOneDotPerTokenAndRow(String type) {
        try (JvmModel m = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-" + type + ".gguf"))) {
            WeightMatrix w = m.layers[0].upW();
            int nTok = 7; // a group of four (dot4Vector) and three single dots
            int stride = w.cols + 3;
            float[] x = new float[nTok * stride];
            Random rnd = new Random(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[] bias = new float[w.rows];
            for (int r = 0; r < w.rows; r++) {
                bias[r] = r * 0.25f;
            }
            int outStride = w.rows + 1;
            for (boolean vector : new boolean[] {true, false}) {
                float[] out = new float[nTok * outStride];
                w.matmulRows(0, w.rows, x, stride, nTok, bias, out, outStride, vector);
                double worst = 0;
                for (int t = 0; t < nTok; t++) {
                    for (int r = 0; r < w.rows; r++) {
                        float ref = w.dot(r, x, t * stride, false) + bias[r];
                        worst = Math.max(worst, Math.abs(out[t * outStride + r] - ref) / (1 + Math.abs(ref)));
                    }
                }
                assertTrue(worst <= 1e-5, type + " vector=" + vector + ": " + worst);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f32", "f16", "q8_0", "q4_0"})
    void logitsOfBothKernelsAgree(String type) {
        int[] prompt = Fixtures.prompt("small-untied");
        try (JvmModel m = JvmModel.load(Fixtures.file("small-untied", "model-" + type + ".gguf"));
             JvmSession v = m.newSession(Fixtures.options(true));
             JvmSession s = m.newSession(Fixtures.options(false).withThreads(1))) {
            double err = Fixtures.relErr(Fixtures.flatten(v.evalAll(0, prompt)), Fixtures.flatten(s.evalAll(0, prompt)));
            System.out.printf("jvm vector (%s) vs scalar %-5s: %.3g%n", v.vector() ? WeightMatrix.F : "off", type, err);
            assertTrue(err <= 1e-5, type + ": " + err);
        }
    }
}
