package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.testsupport.TestSupport;

import org.junit.jupiter.api.Test;

/** One description of a model: what the native engine reads is what {@link ModelShape} counts. */
class ModelInfoTest {

    @Test
    void theNativeEnginesInfoIsTheFilesShapeAndItsParameterCount() {
        try (Gpt2Model tied = Gpt2Model.load(TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"));
             Gpt2Model untied = Gpt2Model.load(TestSupport.fixture("small-untied", "model-f32.gguf"))) {
            ModelInfo t = tied.info();
            assertEquals(new ModelShape(1000, 128, 96, 3, 2, 384, 1e-5f), t.shape());
            assertTrue(t.outputTied());
            assertEquals(TensorType.F32, t.weightType());
            assertEquals(t.shape().nParams(true), t.nParams(), "ModelShape counts what the file holds");
            assertEquals(4 * t.nParams(), t.sizeBytes(), "F32: four bytes a parameter");
            ModelInfo u = untied.info();
            assertEquals(false, u.outputTied());
            assertEquals(u.shape().nParams(false), u.nParams());
            assertEquals(tied.nEmbd(), t.shape().nEmbd());
            assertEquals(tied.nCtxTrain(), t.shape().nCtx());
            assertEquals(tied.eosToken(), t.eosToken());
        }
    }

    @Test
    void aShapeGpt2CannotHaveIsRefusedWhereItIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(300, 16, 30, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(300, 16, 32, 4, 2, 128, Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(300, 0, 32, 4, 2));
        assertEquals(4 * 32, new ModelShape(300, 16, 32, 4, 2).nFf());
        // GPT-2 124M: the published 124,439,808 parameters
        assertEquals(124_439_808L, new ModelShape(50257, 1024, 768, 12, 12).nParams(true));
    }

    @Test
    void theJavaEngineMissingFromThePathIsNamedInTheError() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Gpt2Model.load(
                TestSupport.fixture("tiny-odd-heads", "model-f32.gguf"), ModelParams.defaults().withEngine(Engine.JAVA)));
        assertTrue(e.getMessage().contains("gpt2-java-engine-java"), e.getMessage());
    }
}
