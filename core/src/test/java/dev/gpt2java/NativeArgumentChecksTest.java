package dev.gpt2java;

import dev.gpt2java.testsupport.TestSupport;
import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.NativeLibrary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.internal.ffi.gpt2_batch;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_session_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Misuse that the Java layer stops also fails cleanly in libgpt2 itself (GPT2_ERR_INVALID_ARG and a
 * message, never an abort of the JVM): the raw binding is called with the bad values directly.
 */
class NativeArgumentChecksTest {

    static Arena arena;
    static MemorySegment model;
    static MemorySegment session;
    static int nVocab;
    static int nCtx;

    @BeforeAll
    static void open() {
        NativeLibrary.ensureLoaded();
        Path f = TestSupport.randomModel("native-args", "model", TestSupport.smallParams());
        arena = Arena.ofConfined();
        MemorySegment mp = gpt2_h.gpt2_model_default_params(arena);
        model = gpt2_h.gpt2_model_load(arena.allocateFrom(f.toString()), mp);
        assertFalse(model.equals(MemorySegment.NULL), Native.lastError());
        MemorySegment sp = gpt2_h.gpt2_session_default_params(arena);
        gpt2_session_params.n_seq_max(sp, 2);
        gpt2_session_params.n_batch(sp, 8);
        session = gpt2_h.gpt2_session_new(model, sp);
        assertFalse(session.equals(MemorySegment.NULL), Native.lastError());
        nVocab = gpt2_h.gpt2_model_n_vocab(model);
        nCtx = gpt2_h.gpt2_model_n_ctx_train(model);
    }

    @AfterAll
    static void close() {
        gpt2_h.gpt2_session_free(session);
        gpt2_h.gpt2_model_free(model);
        arena.close();
    }

    static int eval(int[] tokens, int[] seqs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = gpt2_batch.allocate(a);
            gpt2_batch.n_tokens(b, tokens.length);
            gpt2_batch.tokens(b, tokens.length == 0 ? MemorySegment.NULL : a.allocateFrom(ValueLayout.JAVA_INT, tokens));
            gpt2_batch.seq_ids(b, seqs == null ? MemorySegment.NULL : a.allocateFrom(ValueLayout.JAVA_INT, seqs));
            gpt2_batch.logits(b, MemorySegment.NULL);
            return gpt2_h.gpt2_eval(session, b);
        }
    }

    static void assertInvalid(int status, String what) {
        assertEquals(gpt2_h.GPT2_ERR_INVALID_ARG(), status, what + ": " + Native.lastError());
        assertFalse(Native.lastError().isEmpty(), what + " leaves a message");
    }

    @Test
    void evalRefusesBadTokensSequencesAndSizes() {
        assertInvalid(eval(new int[] {-1}, null), "token -1");
        assertInvalid(eval(new int[] {nVocab}, null), "token n_vocab");
        assertInvalid(eval(new int[] {1}, new int[] {2}), "sequence n_seq_max");
        assertInvalid(eval(new int[] {1}, new int[] {-1}), "sequence -1");
        assertInvalid(eval(new int[0], null), "n_tokens 0");
        assertInvalid(eval(new int[9], null), "n_tokens > n_batch");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = gpt2_batch.allocate(a);
            gpt2_batch.n_tokens(b, 1);
            gpt2_batch.tokens(b, MemorySegment.NULL);
            assertInvalid(gpt2_h.gpt2_eval(session, b), "tokens NULL");
            assertInvalid(gpt2_h.gpt2_eval(session, MemorySegment.NULL), "batch NULL");
        }
        assertEquals(0, gpt2_h.gpt2_seq_length(session, 0), "nothing appended");
    }

    @Test
    void evalRefusesPositionsPastTheLearnedContext() {
        for (int done = 0; done < nCtx; done += 8) {
            assertEquals(0, eval(new int[Math.min(8, nCtx - done)], new int[Math.min(8, nCtx - done)]));
        }
        assertInvalid(eval(new int[] {1}, new int[] {0}), "position n_ctx_train");
        assertEquals(nCtx, gpt2_h.gpt2_seq_length(session, 0));
        assertEquals(0, gpt2_h.gpt2_seq_clear(session, 0));
    }

    @Test
    void sequenceOperationsRefuseBadIdsAndCounts() {
        assertInvalid(gpt2_h.gpt2_seq_length(session, 2), "seq_length of n_seq_max");
        assertInvalid(gpt2_h.gpt2_seq_copy(session, 0, 5), "seq_copy to 5");
        assertInvalid(gpt2_h.gpt2_seq_clear(session, -2), "seq_clear -2");
        assertInvalid(gpt2_h.gpt2_seq_truncate(session, 0, 1), "truncate past the length");
        assertInvalid(gpt2_h.gpt2_seq_truncate(session, 0, -1), "truncate to -1");
        // set_threads(<= 0) means "the model's": accepted
        assertEquals(gpt2_h.GPT2_OK(), gpt2_h.gpt2_session_set_threads(session, 0));
    }

    @Test
    void capturesAndVocabularyRefuseBadIndices() {
        assertInvalid((int) gpt2_h.gpt2_get_attention(session, 0, MemorySegment.NULL, 0), "attention with capture off");
        assertInvalid((int) gpt2_h.gpt2_get_hidden(session, 0, MemorySegment.NULL, 0), "hidden with capture off");
        assertInvalid(gpt2_h.gpt2_token_type(model, nVocab), "token_type n_vocab");
        assertInvalid(gpt2_h.gpt2_token_bytes(model, -1, MemorySegment.NULL, 0), "token_bytes -1");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 99);
            assertTrue(gpt2_h.gpt2_token_text(model, nVocab, len).equals(MemorySegment.NULL));
            assertEquals(0, len.get(ValueLayout.JAVA_INT, 0));
            assertTrue(gpt2_h.gpt2_merge(model, -1, len).equals(MemorySegment.NULL));
        }
        assertEquals(-1, gpt2_h.gpt2_output_token_index(session, 1000));
    }

    @Test
    void nullHandlesAreNoOpsWhereTheHeaderSaysSo() {
        gpt2_h.gpt2_model_free(MemorySegment.NULL);
        gpt2_h.gpt2_session_free(MemorySegment.NULL);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sp = gpt2_h.gpt2_session_default_params(a);
            assertTrue(gpt2_h.gpt2_session_new(MemorySegment.NULL, sp).equals(MemorySegment.NULL), "session of NULL model");
            assertFalse(Native.lastError().isEmpty());
            assertTrue(gpt2_h.gpt2_model_load(MemorySegment.NULL, MemorySegment.NULL).equals(MemorySegment.NULL));
        }
    }
}
