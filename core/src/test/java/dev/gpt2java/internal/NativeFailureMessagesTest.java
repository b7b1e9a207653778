package dev.gpt2java.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Status;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.testsupport.TestSupport;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * A negative return turns into a Gpt2Exception with libgpt2's message only when libgpt2 recorded that
 * failure: a message left on the thread by an earlier failing call (about another file) never shows up.
 */
class NativeFailureMessagesTest {

    @Test
    void aFailureThatLibgpt2DidNotRecordNeverShowsAnEarlierMessage() {
        Path missing = TestSupport.tmpDir("native-messages").resolve("earlier-missing-model.gguf");
        Gpt2Exception earlier = assertThrows(Gpt2Exception.class, () -> Gpt2Model.load(missing));
        assertEquals(Status.IO, earlier.status());
        assertTrue(Native.lastError().contains("earlier-missing-model"), Native.lastError());

        Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> Native.check(gpt2_h.GPT2_ERR_INVALID_ARG()));
        assertEquals(Status.INVALID_ARG, e.status());
        assertFalse(e.getMessage().contains("earlier-missing-model"), e.getMessage());
        assertTrue(e.getMessage().contains("without recording why"), e.getMessage());
        Gpt2Exception wide = assertThrows(Gpt2Exception.class, () -> Native.check((long) gpt2_h.GPT2_ERR_FORMAT()));
        assertFalse(wide.getMessage().contains("earlier-missing-model"), wide.getMessage());
    }

    @Test
    void aRecordedFailureKeepsItsMessage() {
        Path missing = TestSupport.tmpDir("native-messages").resolve("recorded-missing-model.gguf");
        assertThrows(Gpt2Exception.class, () -> Gpt2Model.load(missing));
        Gpt2Exception e = assertThrows(Gpt2Exception.class, () -> Native.check(gpt2_h.GPT2_ERR_IO()));
        assertTrue(e.getMessage().contains("recorded-missing-model"), e.getMessage());
    }
}
