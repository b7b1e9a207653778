package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parameter records refuse out-of-range values where they are made, naming the parameter and its range. */
class ParamsValidationTest {

    static void assertRefused(String mustMention, Runnable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().contains(mustMention), () -> "message '" + e.getMessage() + "' should mention " + mustMention);
    }

    @Test
    void modelParamsDefaultsAreLibgpt2Defaults() {
        ModelParams d = ModelParams.defaults();
        assertEquals(new ModelParams(0, Backend.AUTO, true, Gelu.EXACT), d);
    }

    @Test
    void modelParamsWithersChangeOneComponent() {
        ModelParams p = ModelParams.defaults().withThreads(3).withBackend(Backend.CPU).withMmap(false).withGelu(Gelu.FAST);
        assertEquals(new ModelParams(3, Backend.CPU, false, Gelu.FAST), p);
    }

    @Test
    void modelParamsRefuseNegativeOrHugeThreadCounts() {
        assertRefused("threads", () -> ModelParams.defaults().withThreads(-1));
        assertRefused("0..512", () -> ModelParams.defaults().withThreads(513));
        assertThrows(NullPointerException.class, () -> ModelParams.defaults().withBackend(null));
        assertThrows(NullPointerException.class, () -> ModelParams.defaults().withGelu(null));
    }

    @Test
    void sessionParamsDefaultsAreLibgpt2Defaults() {
        assertEquals(new SessionParams(0, 1, 0, 0, TensorType.F32, false, false, false, MatMul.AUTO), SessionParams.defaults());
    }

    @Test
    void sessionParamsRefuseNegativeCountsAndOddKvTypes() {
        assertRefused("nCells", () -> SessionParams.defaults().withNCells(-1));
        assertRefused("nSeqMax", () -> SessionParams.defaults().withNSeqMax(0));
        assertRefused("nBatch", () -> SessionParams.defaults().withNBatch(-5));
        assertRefused("nBatch must be <= nCells", () -> SessionParams.defaults().withNCells(8).withNBatch(9));
        assertRefused("threads", () -> SessionParams.defaults().withThreads(-2));
        assertRefused("kvType", () -> SessionParams.defaults().withKvType(TensorType.Q8_0));
        assertRefused("flashAttn", () -> SessionParams.defaults().withCaptureAttention(true).withFlashAttn(true));
        assertThrows(NullPointerException.class, () -> SessionParams.defaults().withMatMul(null));
        SessionParams ok = SessionParams.defaults().withNCells(16).withNBatch(16).withKvType(TensorType.F16)
                .withNSeqMax(4).withCaptureAttention(true).withCaptureHidden(true);
        assertEquals(new SessionParams(16, 4, 16, 0, TensorType.F16, true, true, false, MatMul.AUTO), ok);
        assertEquals(MatMul.LIBGPT2, ok.withMatMul(MatMul.LIBGPT2).matmul());
    }

    @Test
    void tensorTypesKnowWhichAreBlockQuantized() {
        assertFalse(TensorType.F32.isQuantized());
        assertFalse(TensorType.BF16.isQuantized());
        assertTrue(TensorType.Q8_0.isQuantized());
        assertEquals(TensorType.Q8_0, TensorType.ofCode(8));
        assertThrows(IllegalArgumentException.class, () -> TensorType.ofCode(12));
    }
}
