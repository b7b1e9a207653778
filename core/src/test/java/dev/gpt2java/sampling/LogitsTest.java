package dev.gpt2java.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@link Logits}: argmax, softmax, log-softmax and top-k as documented (precision, ties, -Infinity, NaN). */
class LogitsTest {

    @Test
    void argmaxTakesTheLowestIndexOnATieAndRefusesNothing() {
        assertEquals(1, Logits.argmax(new float[] {0, 5, 5, -1}));
        assertEquals(0, Logits.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
        assertEquals(2, Logits.argmax(new float[] {1, Float.NaN, 3}), "a later NaN is never chosen");
        assertThrows(IllegalArgumentException.class, () -> Logits.argmax(new float[0]));
    }

    @Test
    void softmaxIsInDoublePrecisionAndZeroAtMinusInfinity() {
        // 0.66524095577482... = e^3 / (e^1 + e^2 + e^3), by Python's math
        double[] p = Logits.softmax(new float[] {1f, 2f, 3f, -1e30f, Float.NEGATIVE_INFINITY});
        assertEquals(1.0, p[0] + p[1] + p[2] + p[3] + p[4], 1e-15);
        assertEquals(0.6652409557748218, p[2], 1e-15);
        assertEquals(0.0, p[3]);
        assertEquals(0.0, p[4]);
        assertThrows(IllegalArgumentException.class,
                () -> Logits.softmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    }

    @Test
    void logSoftmaxIsTheLogOfSoftmaxAndMinusInfinityWhereTheLogitIs() {
        float[] logits = HfFixtures.logits("v1000_normal");
        double[] lp = Logits.logSoftmax(logits);
        double[] p = Logits.softmax(logits);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(Math.log(p[i]), lp[i], 1e-12, "token " + i);
        }
        // -0.40760596444438... = -log(1 + e^-1 + e^-2), by Python's math
        double[] small = Logits.logSoftmax(new float[] {1f, 2f, 3f, Float.NEGATIVE_INFINITY});
        assertEquals(-0.4076059644443804, small[2], 1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, small[3]);
        assertThrows(IllegalArgumentException.class, () -> Logits.logSoftmax(new float[] {Float.NEGATIVE_INFINITY}));
    }

    @Test
    void topKIsAStableDescendingSortCutAtK() {
        float[] logits = HfFixtures.logits("v1000_normal");
        Integer[] sorted = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(sorted, Comparator.comparingDouble((Integer i) -> -logits[i])); // stable: lower id first on a tie
        for (int k : new int[] {1, 7, 50, logits.length}) {
            int[] expected = Arrays.stream(sorted, 0, k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, Logits.topK(logits, k), "k " + k);
        }
        assertEquals(Logits.argmax(logits), Logits.topK(logits, 1)[0]);
    }

    @Test
    void topKBreaksTiesByIndexAndRanksNaNLast() {
        double[] v = {2, Double.NaN, 5, Double.NEGATIVE_INFINITY, 5, -0.0, 0.0};
        assertArrayEquals(new int[] {2, 4, 0, 5, 6, 3, 1}, Logits.topK(v, 10), "more than there are: all of them");
        assertArrayEquals(new int[] {2, 4, 0}, Logits.topK(v, 3));
        assertArrayEquals(new int[0], Logits.topK(v, 0));
        assertArrayEquals(new int[] {1, 0}, Logits.topK(new float[] {3, 4}, 2));
        assertThrows(IllegalArgumentException.class, () -> Logits.topK(v, -1));
    }
}
