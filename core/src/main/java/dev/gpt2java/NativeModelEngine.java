package dev.gpt2java;

import dev.gpt2java.spi.AdapterEngine;
import dev.gpt2java.spi.ModelEngine;
import dev.gpt2java.spi.SessionEngine;
import dev.gpt2java.internal.NativeLibrary;
import dev.gpt2java.internal.Native;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_model_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The libgpt2 model behind a {@link Gpt2Model} (the code that was Gpt2Model's own). */
final class NativeModelEngine implements ModelEngine {

    private final Arena arena;
    private final MemorySegment handle;

    private final ModelInfo info;

    private NativeModelEngine(Arena arena, MemorySegment handle) {
        this.arena = arena;
        this.handle = handle;
        ModelShape shape = new ModelShape(gpt2_h.gpt2_model_n_vocab(handle), gpt2_h.gpt2_model_n_ctx_train(handle),
                gpt2_h.gpt2_model_n_embd(handle), gpt2_h.gpt2_model_n_head(handle), gpt2_h.gpt2_model_n_layer(handle),
                gpt2_h.gpt2_model_n_ff(handle), gpt2_h.gpt2_model_norm_eps(handle));
        this.info = new ModelInfo(Native.string(gpt2_h.gpt2_model_name(handle)), shape,
                TensorType.ofCodeOrNull(gpt2_h.gpt2_model_weight_type(handle)), gpt2_h.gpt2_model_output_tied(handle) != 0,
                gpt2_h.gpt2_model_n_params(handle), gpt2_h.gpt2_model_size_bytes(handle), gpt2_h.gpt2_token_bos(handle),
                gpt2_h.gpt2_token_eos(handle), Native.string(gpt2_h.gpt2_model_backend_name(handle)));
    }

    static NativeModelEngine load(Path path, ModelParams params) {
        NativeLibrary.ensureLoaded();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment raw;
            String error = null;
            Status status = Status.UNKNOWN;
            try (Arena tmp = Arena.ofConfined()) {
                MemorySegment p = gpt2_h.gpt2_model_default_params(tmp);
                gpt2_model_params.n_threads(p, params.threads());
                gpt2_model_params.backend(p, params.backend().code());
                gpt2_model_params.use_mmap(p, (byte) (params.mmap() ? 1 : 0));
                gpt2_model_params.gelu(p, (byte) params.gelu().code());
                gpt2_model_params.use_extra_bufts(p, (byte) (params.extraBufferTypes() ? 1 : 0));
                raw = gpt2_h.gpt2_model_load(tmp.allocateFrom(Native.pathString(path)), p);
                if (raw.equals(MemorySegment.NULL)) {
                    error = Native.lastError();
                    status = Native.lastStatus();
                }
            }
            if (error != null) {
                throw Gpt2Exception.forFile(status, error, path);
            }
            MemorySegment handle = raw.reinterpret(arena, gpt2_h::gpt2_model_free);
            try {
                return new NativeModelEngine(arena, handle);
            } catch (IllegalArgumentException e) {
                throw Gpt2Exception.forFile(Status.FORMAT, e.getMessage(), path);   // hyper-parameters ModelShape refuses
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public SessionEngine newSession(SessionParams params) {
        return new NativeSessionEngine(handle, params);
    }

    @Override
    public AdapterEngine loadAdapter(Path path) {
        return NativeAdapterEngine.load(handle, path);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public String tokenText(int id) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment len = tmp.allocate(ValueLayout.JAVA_INT);
            MemorySegment p = gpt2_h.gpt2_token_text(handle, id, len);
            if (p.equals(MemorySegment.NULL)) {
                throw new Gpt2Exception(Status.INVALID_ARG, Native.lastError());
            }
            return Native.string(p, len.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Override
    public byte[] tokenBytes(int id) {
        int n = Native.check(gpt2_h.gpt2_token_bytes(handle, id, MemorySegment.NULL, 0));
        if (n == 0) {
            return new byte[0];
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(n);
            int m = Native.check(gpt2_h.gpt2_token_bytes(handle, id, buf, n));
            return buf.asSlice(0, Math.min(n, m)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public TokenType tokenType(int id) {
        return TokenType.ofCode(Native.check(gpt2_h.gpt2_token_type(handle, id)));
    }

    @Override
    public List<String> merges() {
        int n = Native.check(gpt2_h.gpt2_n_merges(handle));
        List<String> out = new ArrayList<>(n);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment len = tmp.allocate(ValueLayout.JAVA_INT);
            for (int i = 0; i < n; i++) {
                MemorySegment p = gpt2_h.gpt2_merge(handle, i, len);
                if (p.equals(MemorySegment.NULL)) {
                    throw new Gpt2Exception(Status.INTERNAL, "gpt2_merge(" + i + ") of " + n + " is NULL");
                }
                out.add(Native.string(p, len.get(ValueLayout.JAVA_INT, 0)));
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public float[][] tokenEmbeddings(int first, int n) {
        int nEmbd = info.shape().nEmbd();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment dst = tmp.allocate(ValueLayout.JAVA_FLOAT, Math.max(1L, (long) n * nEmbd));
            Native.check(gpt2_h.gpt2_model_token_embeddings(handle, first, n, dst));
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = dst.asSlice((long) i * nEmbd * Float.BYTES, (long) nEmbd * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
            }
            return out;
        }
    }

    @Override
    public float[][] unembed(float[][] hidden, boolean applyFinalNorm) {
        int n = hidden.length;
        int nEmbd = info.shape().nEmbd(), nVocab = info.shape().nVocab();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment in = tmp.allocate(ValueLayout.JAVA_FLOAT, (long) n * nEmbd);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(hidden[i], 0, in, ValueLayout.JAVA_FLOAT, (long) i * nEmbd * Float.BYTES, nEmbd);
            }
            MemorySegment out = tmp.allocate(ValueLayout.JAVA_FLOAT, (long) n * nVocab);
            Native.check(gpt2_h.gpt2_model_unembed(handle, in, n, (byte) (applyFinalNorm ? 1 : 0), out));
            float[][] logits = new float[n][];
            for (int i = 0; i < n; i++) {
                logits[i] = out.asSlice((long) i * nVocab * Float.BYTES, (long) nVocab * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
            }
            return logits;
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
