package dev.gpt2java;

import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.NativeLibrary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_model_params;
import dev.gpt2java.internal.ffi.gpt2_session_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java records' defaults() are what libgpt2's gpt2_*_default_params() return; the library is the one built. */
class NativeDefaultsTest {

    @BeforeAll
    static void load() {
        NativeLibrary.ensureLoaded();
    }

    @Test
    void loadedLibraryHasThisBindingsApiVersion() {
        assertEquals(gpt2_h.GPT2_API_VERSION(), Gpt2.apiVersion());
        System.out.println("libgpt2 loaded from " + Gpt2.libraryLocation());
    }

    @Test
    void modelParamsDefaultsMatchNative() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = gpt2_h.gpt2_model_default_params(a);
            ModelParams d = ModelParams.defaults();
            assertEquals(d.threads(), gpt2_model_params.n_threads(p));
            assertEquals(d.backend(), Backend.ofCode(gpt2_model_params.backend(p)));
            assertEquals(d.mmap(), gpt2_model_params.use_mmap(p) != 0);
            assertEquals(d.gelu(), Gelu.ofCode(gpt2_model_params.gelu(p)));
            assertEquals(d.extraBufferTypes(), gpt2_model_params.use_extra_bufts(p) != 0);
        }
    }

    @Test
    void sessionParamsDefaultsMatchNative() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = gpt2_h.gpt2_session_default_params(a);
            SessionParams d = SessionParams.defaults();
            assertEquals(d.nCells(), gpt2_session_params.n_cells(p));
            assertEquals(d.nSeqMax(), gpt2_session_params.n_seq_max(p));
            assertEquals(d.nBatch(), gpt2_session_params.n_batch(p));
            assertEquals(d.threads(), gpt2_session_params.n_threads(p));
            assertEquals(d.kvType().code(), gpt2_session_params.kv_type(p));
            assertEquals(d.captureAttention(), gpt2_session_params.capture_attention(p) != 0);
            assertEquals(d.captureHidden(), gpt2_session_params.capture_hidden(p) != 0);
        }
    }

    @Test
    void statusNamesAreTheLibrarysNames() {
        for (Status s : Status.values()) {
            if (s != Status.UNKNOWN) {
                assertEquals(s.cName(), Native.string(gpt2_h.gpt2_status_name(s.code())));
            }
        }
    }
}
