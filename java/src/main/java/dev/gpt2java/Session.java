package dev.gpt2java;

import dev.gpt2java.internal.ffi.gpt2_batch;
import dev.gpt2java.internal.ffi.gpt2_h;
import dev.gpt2java.internal.ffi.gpt2_session_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A KV cache on a {@link Gpt2Model}, shared by up to {@code nSeqMax} sequences (beams, parallel
 * prompts), and the evaluation of tokens appended to them.
 *
 * <p>The cache is a pool of {@code nCells} cells, one per token of a sequence; {@link #seqCopy} shares
 * cells instead of copying them, so sequences forked from one prompt cost nothing until they diverge.
 * A sequence's positions are {@code 0 .. seqLength-1}; evaluation appends.
 *
 * <h2>Threads and lifetime</h2>
 * A session is for one thread at a time. Its methods are synchronized, so a {@link #close()} from
 * another thread waits for an eval in flight instead of freeing memory under it. After close, every
 * method but {@code close()} and {@link #isClosed()} throws {@link IllegalStateException}. The session
 * keeps the model's weights alive: it stays usable after its {@link Gpt2Model} is closed.
 */
public final class Session implements AutoCloseable {

    private final Gpt2Model model;
    private final Arena arena;
    private final MemorySegment handle;
    private final SessionParams params;
    private final int nVocab;
    private final int nCtxTrain;
    private final int nLayer;
    private final int nHead;
    private final int nEmbd;

    // gpt2_batch and its arrays, sized n_batch, reused by every eval (methods are synchronized)
    private final MemorySegment batch;
    private final MemorySegment tokensBuf;
    private final MemorySegment seqIdsBuf;
    private final MemorySegment logitsBuf;

    private boolean closed;
    private int nOutputs;
    private LogitsView view;
    private final int[] perSeqCount;

    Session(Gpt2Model model, MemorySegment modelHandle, SessionParams requested) {
        this.model = model;
        this.nVocab = model.nVocab();
        this.nCtxTrain = model.nCtxTrain();
        this.nLayer = model.nLayer();
        this.nHead = model.nHead();
        this.nEmbd = model.nEmbd();
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
                raw = gpt2_h.gpt2_session_new(modelHandle, p);
                if (raw.equals(MemorySegment.NULL)) {
                    error = Native.lastError();
                    status = Native.lastStatus();
                } else {
                    MemorySegment r = gpt2_h.gpt2_session_get_params(tmp, raw);
                    resolved = new SessionParams(gpt2_session_params.n_cells(r), gpt2_session_params.n_seq_max(r),
                            gpt2_session_params.n_batch(r), requested.threads(),
                            TensorType.ofCode(gpt2_session_params.kv_type(r)),
                            gpt2_session_params.capture_attention(r) != 0, gpt2_session_params.capture_hidden(r) != 0);
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
            this.perSeqCount = new int[resolved.nSeqMax()];
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // lifetime
    // ---------------------------------------------------------------------------------------------

    /** Frees the session (and, if its model is closed and this was its last session, the weights). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            invalidateView();
            arena.close();
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Session is closed");
        }
    }

    /** The model this session evaluates (possibly closed since: the session does not need it open). */
    public Gpt2Model model() {
        return model;
    }

    /** The parameters in force, defaults resolved (nCells, nBatch; threads as requested). */
    public synchronized SessionParams params() {
        ensureOpen();
        return params;
    }

    /** Vocabulary size of the model: the length of a row of logits. */
    public int nVocab() {
        return nVocab;
    }

    /** Threads for the following evals, 1..{@value ModelParams#MAX_THREADS}; 0: the model's. */
    public synchronized void setThreads(int threads) {
        ensureOpen();
        Checks.inRange("threads (0: the model's)", threads, 0, ModelParams.MAX_THREADS);
        Native.check(gpt2_h.gpt2_session_set_threads(handle, threads));
    }

    // ---------------------------------------------------------------------------------------------
    // evaluation
    // ---------------------------------------------------------------------------------------------

    private void checkSeq(String what, int seqId) {
        if (seqId < 0 || seqId >= params.nSeqMax()) {
            throw new IllegalArgumentException(what + " " + seqId + " out of range 0.." + (params.nSeqMax() - 1)
                    + " (the session's nSeqMax is " + params.nSeqMax() + ")");
        }
    }

    private void checkToken(int token) {
        if (token < 0 || token >= nVocab) {
            throw new IllegalArgumentException("token id " + token + " out of range 0.." + (nVocab - 1));
        }
    }

    /**
     * Appends {@code tokens} to sequence {@code seqId} and returns the logits after the last of them.
     *
     * @throws IllegalArgumentException for an empty or too long token list (more than nBatch), a token
     *                                  or sequence id out of range, or positions past nCtxTrain
     * @throws Gpt2Exception            if the KV cache is full ({@link Status#KV_FULL}: nothing was
     *                                  appended) or the backend fails
     */
    public synchronized float[] eval(int seqId, int... tokens) {
        ensureOpen();
        checkSeq("sequence id", seqId);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        checkBatchSize(tokens.length);
        for (int t : tokens) {
            checkToken(t);
        }
        int len = seqLengthUnchecked(seqId);
        if (len + tokens.length > nCtxTrain) {
            throw new IllegalArgumentException(positionMessage(seqId, len, tokens.length));
        }
        for (int i = 0; i < tokens.length; i++) {
            tokensBuf.setAtIndex(ValueLayout.JAVA_INT, i, tokens[i]);
            seqIdsBuf.setAtIndex(ValueLayout.JAVA_INT, i, seqId);
            logitsBuf.set(ValueLayout.JAVA_BYTE, i, (byte) (i == tokens.length - 1 ? 1 : 0));
        }
        run(tokens.length);
        return copyRow(0);
    }

    /**
     * Evaluates a batch (tokens of one or more sequences in one graph) and returns the number of
     * output rows: one per token that asked for logits, read with {@link #logits(int)} or
     * {@link #logitsView()}.
     *
     * @throws IllegalArgumentException as {@link #eval(int, int...)}
     * @throws Gpt2Exception            as {@link #eval(int, int...)}
     */
    public synchronized int eval(Batch b) {
        ensureOpen();
        int n = b.size();
        checkBatchSize(n);
        int[] toks = b.tokensArray();
        int[] seqs = b.seqIdsArray();
        boolean[] want = b.logitsArray();
        java.util.Arrays.fill(perSeqCount, 0);
        for (int i = 0; i < n; i++) {
            checkToken(toks[i]);
            checkSeq("sequence id", seqs[i]);
            perSeqCount[seqs[i]]++;
        }
        for (int s = 0; s < perSeqCount.length; s++) {
            if (perSeqCount[s] > 0) {
                int len = seqLengthUnchecked(s);
                if (len + perSeqCount[s] > nCtxTrain) {
                    throw new IllegalArgumentException(positionMessage(s, len, perSeqCount[s]));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            tokensBuf.setAtIndex(ValueLayout.JAVA_INT, i, toks[i]);
            seqIdsBuf.setAtIndex(ValueLayout.JAVA_INT, i, seqs[i]);
            logitsBuf.set(ValueLayout.JAVA_BYTE, i, (byte) (want[i] ? 1 : 0));
        }
        run(n);
        return nOutputs;
    }

    private void checkBatchSize(int n) {
        if (n < 1 || n > params.nBatch()) {
            throw new IllegalArgumentException("a batch holds 1.." + params.nBatch() + " tokens (the session's nBatch), got "
                    + n);
        }
    }

    private String positionMessage(int seqId, int len, int adding) {
        return "sequence " + seqId + " holds " + len + " tokens; " + adding + " more would pass the model's "
                + nCtxTrain + " learned positions (nCtxTrain)";
    }

    private void run(int n) {
        invalidateView();
        nOutputs = 0;
        gpt2_batch.n_tokens(batch, n);
        int st = gpt2_h.gpt2_eval(handle, batch);
        if (st != gpt2_h.GPT2_OK()) {
            throw new Gpt2Exception(Status.of(st), Native.lastError());
        }
        nOutputs = Native.check(gpt2_h.gpt2_n_outputs(handle));
    }

    private void invalidateView() {
        if (view != null) {
            view.invalidate();
            view = null;
        }
    }

    /** Output rows of the last eval (0 before the first, or after a failed one). */
    public synchronized int nOutputs() {
        ensureOpen();
        return nOutputs;
    }

    /** A copy of output row {@code outputIndex} of the last eval: nVocab logits. */
    public synchronized float[] logits(int outputIndex) {
        ensureOpen();
        Checks.index("output row", outputIndex, nOutputs);
        return copyRow(outputIndex);
    }

    /** Index in the last batch of the token behind output row {@code outputIndex}. */
    public synchronized int outputTokenIndex(int outputIndex) {
        ensureOpen();
        Checks.index("output row", outputIndex, nOutputs);
        return gpt2_h.gpt2_output_token_index(handle, outputIndex);
    }

    private float[] copyRow(int row) {
        MemorySegment p = gpt2_h.gpt2_get_logits(handle);
        if (p.equals(MemorySegment.NULL)) {
            throw new Gpt2Exception(Status.INTERNAL, "gpt2_get_logits is NULL after an eval with " + nOutputs + " outputs");
        }
        long bytes = (long) nVocab * Float.BYTES;
        return p.asSlice(row * bytes, bytes).toArray(ValueLayout.JAVA_FLOAT);
    }

    /**
     * The logits of the last eval in place, without a copy; valid until the next eval or close (then
     * it throws IllegalStateException).
     */
    @SuppressWarnings("restricted")
    public synchronized LogitsView logitsView() {
        ensureOpen();
        if (view == null) {
            Arena viewArena = Arena.ofShared();
            MemorySegment p = nOutputs == 0 ? MemorySegment.NULL : gpt2_h.gpt2_get_logits(handle);
            int rows = p.equals(MemorySegment.NULL) ? 0 : nOutputs;
            MemorySegment data = p.reinterpret((long) rows * nVocab * Float.BYTES, viewArena, null);
            int[] index = new int[rows];
            for (int i = 0; i < rows; i++) {
                index[i] = gpt2_h.gpt2_output_token_index(handle, i);
            }
            view = new LogitsView(data, viewArena, rows, nVocab, index);
        }
        return view;
    }

    // ---------------------------------------------------------------------------------------------
    // sequences
    // ---------------------------------------------------------------------------------------------

    /** Tokens in the sequence: its next position. */
    public synchronized int seqLength(int seqId) {
        ensureOpen();
        checkSeq("sequence id", seqId);
        return seqLengthUnchecked(seqId);
    }

    private int seqLengthUnchecked(int seqId) {
        return Native.check(gpt2_h.gpt2_seq_length(handle, seqId));
    }

    /** Makes {@code dst} a copy of {@code src} (dst's content is dropped); cells are shared, not copied. */
    public synchronized void seqCopy(int src, int dst) {
        ensureOpen();
        checkSeq("source sequence id", src);
        checkSeq("destination sequence id", dst);
        Native.check(gpt2_h.gpt2_seq_copy(handle, src, dst));
    }

    /** Empties the sequence. */
    public synchronized void seqClear(int seqId) {
        ensureOpen();
        checkSeq("sequence id", seqId);
        Native.check(gpt2_h.gpt2_seq_clear(handle, seqId));
    }

    /** Empties all sequences. */
    public synchronized void clearAll() {
        ensureOpen();
        Native.check(gpt2_h.gpt2_seq_clear(handle, -1));
    }

    /** Keeps positions {@code 0 .. nKeep-1} of the sequence and drops the rest ({@code 0 <= nKeep <= length}). */
    public synchronized void seqTruncate(int seqId, int nKeep) {
        ensureOpen();
        checkSeq("sequence id", seqId);
        int len = seqLengthUnchecked(seqId);
        if (nKeep < 0 || nKeep > len) {
            throw new IllegalArgumentException("nKeep must be in 0.." + len + " (the length of sequence " + seqId
                    + "), was " + nKeep);
        }
        Native.check(gpt2_h.gpt2_seq_truncate(handle, seqId, nKeep));
    }

    /** KV cells in use by at least one sequence. */
    public synchronized int kvUsedCells() {
        ensureOpen();
        return Native.check(gpt2_h.gpt2_kv_used_cells(handle));
    }

    // ---------------------------------------------------------------------------------------------
    // captures
    // ---------------------------------------------------------------------------------------------

    /**
     * The attention probabilities of layer {@code layer} in the last eval, {@code [head][query][key]}:
     * query q is batch token q, key k is position k of q's sequence, keys a query cannot see are 0.
     * Needs a session made with {@link SessionParams#captureAttention()}.
     */
    public synchronized float[][][] attention(int layer) {
        ensureOpen();
        if (!params.captureAttention()) {
            throw new IllegalStateException("the session was made without captureAttention");
        }
        Checks.index("layer", layer, nLayer);
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

    /**
     * The hidden states at point {@code index} of the last eval, {@code [token][embd]}: 0 the input
     * embeddings (wte + wpe), 1..nLayer the output of that block, nLayer+1 the output of the final
     * LayerNorm. Needs a session made with {@link SessionParams#captureHidden()}.
     */
    public synchronized float[][] hidden(int index) {
        ensureOpen();
        if (!params.captureHidden()) {
            throw new IllegalStateException("the session was made without captureHidden");
        }
        Checks.index("hidden-state index", index, nLayer + 2);
        long n = Native.check(gpt2_h.gpt2_get_hidden(handle, index, MemorySegment.NULL, 0));
        int nTokens = (int) (n / nEmbd);
        float[][] out = new float[nTokens][];
        if (n == 0) {
            return out;
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment dst = tmp.allocate(ValueLayout.JAVA_FLOAT, n);
            Native.check(gpt2_h.gpt2_get_hidden(handle, index, dst, n));
            for (int t = 0; t < nTokens; t++) {
                out[t] = dst.asSlice((long) t * nEmbd * Float.BYTES, (long) nEmbd * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
            }
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        return "Session[" + (closed ? "closed" : params.nCells() + " cells, " + params.nSeqMax() + " sequences, nBatch "
                + params.nBatch()) + "]";
    }
}
