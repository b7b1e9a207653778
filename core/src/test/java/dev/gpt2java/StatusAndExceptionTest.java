package dev.gpt2java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Status maps gpt2.h's codes both ways; Gpt2Exception carries status and native message, and names files. */
class StatusAndExceptionTest {

    @Test
    void everyCodeOfTheHeaderMapsToItsStatus() {
        assertEquals(Status.OK, Status.of(0));
        assertEquals(Status.INVALID_ARG, Status.of(-1));
        assertEquals(Status.IO, Status.of(-2));
        assertEquals(Status.FORMAT, Status.of(-3));
        assertEquals(Status.UNSUPPORTED, Status.of(-4));
        assertEquals(Status.OUT_OF_MEMORY, Status.of(-5));
        assertEquals(Status.KV_FULL, Status.of(-6));
        assertEquals(Status.BACKEND, Status.of(-7));
        assertEquals(Status.INTERNAL, Status.of(-8));
        assertEquals(Status.UNKNOWN, Status.of(-99));
        assertEquals("GPT2_ERR_KV_FULL", Status.KV_FULL.cName());
    }

    @Test
    void messageCarriesTheNativeMessageAndStatusName() {
        Gpt2Exception e = new Gpt2Exception(Status.KV_FULL, "gpt2_eval: no free cell");
        assertEquals(Status.KV_FULL, e.status());
        assertEquals("gpt2_eval: no free cell", e.nativeMessage());
        assertEquals("gpt2_eval: no free cell [GPT2_ERR_KV_FULL]", e.getMessage());
    }

    @Test
    void fileErrorsNameTheFileEvenWhenTheNativeMessageDoesNot() {
        Path f = Path.of("/tmp/x/model.gguf");
        Gpt2Exception named = Gpt2Exception.forFile(Status.FORMAT, "gpt2_model_load: /tmp/x/model.gguf: bad magic", f);
        assertEquals("gpt2_model_load: /tmp/x/model.gguf: bad magic [GPT2_ERR_FORMAT]", named.getMessage());
        Gpt2Exception unnamed = Gpt2Exception.forFile(Status.FORMAT, "bad magic", f);
        assertTrue(unnamed.getMessage().startsWith("/tmp/x/model.gguf: bad magic"), unnamed.getMessage());
    }
}
