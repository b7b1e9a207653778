package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeGradient}'s contract: its checks, its parameter count, loss-only calls and repeatability.
 * Its values against PyTorch are in {@code dev.gpt2java.train.PyTorchGradientTest}.
 */
class NativeGradientTest {

    static final GradientParams SMALL = new GradientParams(new ModelShape(50, 8, 16, 2, 1), 2, 4, 1);

    static float[] randomParams(long count, long seed) {
        Random r = new Random(seed);
        float[] p = new float[(int) count];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextGaussian() * 0.1);
        }
        return p;
    }

    @Test
    void countsTheParametersOfTheLayoutInTheHeader() {
        try (var g = NativeGradient.create(SMALL)) {
            int c = 16, v = 50, ctx = 8, ff = 4 * c;
            long perLayer = 2 * c + 3 * c * c + 3 * c + c * c + c + 2 * c + ff * c + ff + c * ff + c;
            assertEquals((long) v * c + (long) ctx * c + perLayer + 2 * c, g.parameterCount());
        }
    }

    @Test
    void theSameInputsGiveTheSameBitsAndALossOnlyCallTheSameLoss() {
        try (var g = NativeGradient.create(SMALL)) {
            float[] params = randomParams(g.parameterCount(), 1);
            int[] in = {1, 2, 3, 4, 5, 6, 7, 8}, tg = {2, 3, 4, 5, 6, 7, 8, 9};
            float[] a = new float[(int) g.parameterCount()], b = new float[a.length];
            float la = g.compute(params, in, tg, a);
            float lb = g.compute(params, in, tg, b);
            assertEquals(la, lb);
            assertArrayEquals(a, b);
            assertEquals(la, g.compute(params, in, tg, null));
            assertTrue(la > 0 && Float.isFinite(la), "loss " + la);
        }
    }

    @Test
    void badArgumentsAreRefusedWithClearExceptions() {
        assertThrows(IllegalArgumentException.class, () -> new GradientParams(new ModelShape(50, 8, 15, 2, 1), 2, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new GradientParams(new ModelShape(50, 8, 16, 2, 1), 2, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> new GradientParams(new ModelShape(1, 8, 16, 2, 1), 2, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new GradientParams(new ModelShape(50, 8, 16, 2, 0), 2, 4, 1));
        var g = NativeGradient.create(SMALL);
        float[] params = randomParams(g.parameterCount(), 2);
        int[] ok = new int[8];
        var shortParams = assertThrows(IllegalArgumentException.class,
                () -> g.compute(new float[3], ok, ok, null));
        assertTrue(shortParams.getMessage().contains("params has 3 values"), shortParams.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.compute(params, new int[7], ok, null));
        var badToken = assertThrows(IllegalArgumentException.class,
                () -> g.compute(params, new int[] {0, 0, 0, 50, 0, 0, 0, 0}, ok, null));
        assertTrue(badToken.getMessage().contains("input token id"), badToken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.compute(params, ok, new int[] {-1, 0, 0, 0, 0, 0, 0, 0}, null));
        assertThrows(IllegalArgumentException.class, () -> g.compute(params, ok, ok, new float[1]));
        g.close();
        g.close();
        assertThrows(IllegalStateException.class, () -> g.compute(params, ok, ok, null));
    }
}
