package dev.gpt2java;

import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.ffi.gpt2_batch;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_intervention;
import dev.gpt2java.internal.ffi.gpt2_session_params;
import dev.gpt2java.spi.AdapterEngine;
import dev.gpt2java.spi.SessionEngine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** The libgpt2 session behind a {@link Session} (the code that was Session's own). */
final class NativeSessionEngine implements SessionEngine {

    private final Arena arena;
    private final MemorySegment handle;
    private final SessionParams params;
    private final int nVocab;
    private final int nHead;
    private final int nEmbd;

    // gpt2_batch and its arrays, sized n_batch, reused by every eval (Session's methods are synchronized)
    private final MemorySegment batch;
    private final MemorySegment tokensBuf;
    private final MemorySegment seqIdsBuf;
    private final MemorySegment logitsBuf;

    NativeSessionEngine(MemorySegment modelHandle, SessionParams requested) {
        this.nVocab = gpt2_h.gpt2_model_n_vocab(modelHandle);
        this.nHead = gpt2_h.gpt2_model_n_head(modelHandle);
        this.nEmbd = gpt2_h.gpt2_model_n_embd(modelHandle);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment raw;
            String error = null;
            Status status = Status.UNKNOWN;
            SessionParams resolved = null;
            try (Arena tmp = Arena.ofConfined()) {
                MemorySegment p = gpt2_h.gpt2_session_default_params(tmp);
                gpt2_session_params.n_cells(p, requested.nCells());
                gpt2_session_params.n_seq_max(p, requested.nSeqMax());
                gpt2_session_params.n_batch(p, requested.nBatch());
                gpt2_session_params.n_threads(p, requested.threads());
                gpt2_session_params.kv_type(p, requested.kvType().code());
                gpt2_session_params.capture_attention(p, (byte) (requested.captureAttention() ? 1 : 0));
                gpt2_session_params.capture_hidden(p, (byte) (requested.captureHidden() ? 1 : 0));
                gpt2_session_params.flash_attn(p, (byte) (requested.flashAttn() ? 1 : 0));
                gpt2_session_params.matmul(p, (byte) requested.matmul().code());
                raw = gpt2_h.gpt2_session_new(modelHandle, p);
                if (raw.equals(MemorySegment.NULL)) {
                    error = Native.lastError();
                    status = Native.lastStatus();
                } else {
                    MemorySegment r = gpt2_h.gpt2_session_get_params(tmp, raw);
                    resolved = new SessionParams(gpt2_session_params.n_cells(r), gpt2_session_params.n_seq_max(r),
                            gpt2_session_params.n_batch(r), requested.threads(),
                            TensorType.ofCode(gpt2_session_params.kv_type(r)),
                            gpt2_session_params.capture_attention(r) != 0, gpt2_session_params.capture_hidden(r) != 0,
                            gpt2_session_params.flash_attn(r) != 0, MatMul.ofCode(gpt2_session_params.matmul(r)));
                }
            }
            if (error != null) {
                throw new Gpt2Exception(status, error);
            }
            this.handle = raw.reinterpret(arena, gpt2_h::gpt2_session_free);
            this.arena = arena;
            this.params = resolved;
            int n = resolved.nBatch();
            this.tokensBuf = arena.allocate(ValueLayout.JAVA_INT, n);
            this.seqIdsBuf = arena.allocate(ValueLayout.JAVA_INT, n);
            this.logitsBuf = arena.allocate(ValueLayout.JAVA_BYTE, n);
            this.batch = gpt2_batch.allocate(arena);
            gpt2_batch.tokens(batch, tokensBuf);
            gpt2_batch.seq_ids(batch, seqIdsBuf);
            gpt2_batch.logits(batch, logitsBuf);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public SessionParams params() {
        return params;
    }

    @Override
    public void setThreads(int threads) {
        Native.check(gpt2_h.gpt2_session_set_threads(handle, threads));
    }

    @Override
    public int eval(int[] tokens, int[] seqIds, boolean[] logits, int n) {
        for (int i = 0; i < n; i++) {
            tokensBuf.setAtIndex(ValueLayout.JAVA_INT, i, tokens[i]);
            seqIdsBuf.setAtIndex(ValueLayout.JAVA_INT, i, seqIds[i]);
            logitsBuf.set(ValueLayout.JAVA_BYTE, i, (byte) (logits[i] ? 1 : 0));
        }
        gpt2_batch.n_tokens(batch, n);
        int st = gpt2_h.gpt2_eval(handle, batch);
        if (st != gpt2_h.GPT2_OK()) {
            throw new Gpt2Exception(Status.of(st), Native.lastError());
        }
        return Native.check(gpt2_h.gpt2_n_outputs(handle));
    }

    @Override
    public void logitsInto(int row, float[] dst) {
        MemorySegment p = gpt2_h.gpt2_get_logits(handle);
        if (p.equals(MemorySegment.NULL)) {
            throw new Gpt2Exception(Status.INTERNAL, "gpt2_get_logits is NULL after an eval with outputs");
        }
        MemorySegment.copy(p, ValueLayout.JAVA_FLOAT, (long) row * nVocab * Float.BYTES, dst, 0, nVocab);
    }

    @Override
    public int outputTokenIndex(int row) {
        return gpt2_h.gpt2_output_token_index(handle, row);
    }

    @Override
    @SuppressWarnings("restricted")
    public MemorySegment logits(int rows, Arena arena) {
        MemorySegment p = rows == 0 ? MemorySegment.NULL : gpt2_h.gpt2_get_logits(handle);
        long n = p.equals(MemorySegment.NULL) ? 0 : (long) rows * nVocab;
        return p.reinterpret(n * Float.BYTES, arena, null);
    }

    @Override
    public int seqLength(int seqId) {
        return Native.check(gpt2_h.gpt2_seq_length(handle, seqId));
    }

    @Override
    public void seqCopy(int src, int dst) {
        Native.check(gpt2_h.gpt2_seq_copy(handle, src, dst));
    }

    @Override
    public void seqClear(int seqId) {
        Native.check(gpt2_h.gpt2_seq_clear(handle, seqId));
    }

    @Override
    public void seqTruncate(int seqId, int nKeep) {
        Native.check(gpt2_h.gpt2_seq_truncate(handle, seqId, nKeep));
    }

    @Override
    public int kvUsedCells() {
        return Native.check(gpt2_h.gpt2_kv_used_cells(handle));
    }

    @Override
    public float[][][] attention(int layer) {
        long n = Native.check(gpt2_h.gpt2_get_attention(handle, layer, MemorySegment.NULL, 0));
        if (n == 0) {
            return new float[nHead][0][0];
        }
        int nKeys = Native.check(gpt2_h.gpt2_attention_n_keys(handle));
        int nTokens = (int) (n / ((long) nHead * nKeys));
        float[] flat = new float[Math.toIntExact(n)];
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment dst = tmp.allocate(ValueLayout.JAVA_FLOAT, n);
            Native.check(gpt2_h.gpt2_get_attention(handle, layer, dst, n));
            MemorySegment.copy(dst, ValueLayout.JAVA_FLOAT, 0, flat, 0, flat.length);
        }
        float[][][] out = new float[nHead][nTokens][nKeys];
        for (int h = 0; h < nHead; h++) {
            for (int q = 0; q < nTokens; q++) {
                System.arraycopy(flat, (h * nTokens + q) * nKeys, out[h][q], 0, nKeys);
            }
        }
        return out;
    }

    @Override
    public float[][] hidden(int index) {
        return rows((dst, cap) -> gpt2_h.gpt2_get_hidden(handle, index, dst, cap));
    }

    @Override
    public float[][] headOutputs(int layer) {
        return rows((dst, cap) -> gpt2_h.gpt2_get_head_outputs(handle, layer, dst, cap));
    }

    /** A capture getter of gpt2.h: floats written to dst (NULL: how many), or a negative status. */
    @FunctionalInterface
    private interface Capture {
        long get(MemorySegment dst, long cap);
    }

    /** A capture of [n_tokens][n_embd] floats, as rows. */
    private float[][] rows(Capture capture) {
        long n = Native.check(capture.get(MemorySegment.NULL, 0));
        int nTokens = (int) (n / nEmbd);
        float[][] out = new float[nTokens][];
        if (n == 0) {
            return out;
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment dst = tmp.allocate(ValueLayout.JAVA_FLOAT, n);
            Native.check(capture.get(dst, n));
            for (int t = 0; t < nTokens; t++) {
                out[t] = dst.asSlice((long) t * nEmbd * Float.BYTES, (long) nEmbd * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
            }
        }
        return out;
    }

    @Override
    public void setInterventions(List<dev.gpt2java.Intervention> interventions) {
        try (Arena tmp = Arena.ofConfined()) {
            int n = interventions.size();
            MemorySegment list = n == 0 ? MemorySegment.NULL : gpt2_intervention.allocateArray(n, tmp);
            for (int i = 0; i < n; i++) {
                dev.gpt2java.Intervention iv = interventions.get(i);
                MemorySegment e = gpt2_intervention.asSlice(list, i);
                gpt2_intervention.site(e, iv.site().code());
                gpt2_intervention.layer(e, iv.layer());
                gpt2_intervention.head(e, iv.head());
                gpt2_intervention.pos(e, iv.position());
                gpt2_intervention.scale(e, iv.scale());
                float[] v = iv.values();
                gpt2_intervention.values(e, v == null ? MemorySegment.NULL : tmp.allocateFrom(ValueLayout.JAVA_FLOAT, v));
            }
            Native.check(gpt2_h.gpt2_session_set_interventions(handle, list, n));
        }
    }

    @Override
    public void setAdapters(List<AdapterEngine> adapters, float[] scales) {
        try (Arena tmp = Arena.ofConfined()) {
            int n = adapters.size();
            MemorySegment list = n == 0 ? MemorySegment.NULL : tmp.allocate(ValueLayout.ADDRESS, n);
            for (int i = 0; i < n; i++) {
                list.setAtIndex(ValueLayout.ADDRESS, i, ((NativeAdapterEngine) adapters.get(i)).handle);
            }
            MemorySegment s = n == 0 ? MemorySegment.NULL : tmp.allocateFrom(ValueLayout.JAVA_FLOAT, scales);
            Native.check(gpt2_h.gpt2_session_set_adapters(handle, list, s, n));
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
