package dev.gpt2java.jvm;

import java.util.Arrays;

/**
 * One KV cache (F32, per layer and sequence) and the GPT-2 forward pass over a {@link JvmModel}.
 * Sequences are numbered 0 .. nSeqMax-1 and hold positions 0 .. length-1; {@link #eval} appends to one.
 * Methods are synchronized; parallelism is inside each call (over weight rows, and over
 * (token, head) pairs in attention). Close it to stop its worker threads.
 */
public final class JvmSession implements AutoCloseable {

    /**
     * Session settings, checked where made.
     *
     * @param nCtx             positions per sequence (0: the model's n_ctx_train)
     * @param nSeqMax          number of sequences
     * @param threads          worker threads (1: the caller only)
     * @param vector           Vector API kernels (false: scalar)
     * @param captureAttention keep each layer's attention probabilities of the last eval
     * @param captureHidden    keep the hidden states of the last eval
     */
    public record Options(int nCtx, int nSeqMax, int threads, boolean vector, boolean captureAttention,
                          boolean captureHidden) {
        public Options {
            if (nCtx < 0 || nSeqMax < 1 || nSeqMax > 1024 || threads < 1 || threads > 512) {
                throw new IllegalArgumentException("invalid options: nCtx=" + nCtx + " (>= 0), nSeqMax=" + nSeqMax
                        + " (1..1024), threads=" + threads + " (1..512)");
            }
        }

        /** nCtx of the model, 1 sequence, one thread per core, Vector API unless gpt2.jvm.vector=false, no capture. */
        public static Options defaults() {
            return new Options(0, 1, Runtime.getRuntime().availableProcessors(), Kernels.VECTOR_DEFAULT, false, false);
        }

        public Options withNCtx(int n) {
            return new Options(n, nSeqMax, threads, vector, captureAttention, captureHidden);
        }

        public Options withNSeqMax(int n) {
            return new Options(nCtx, n, threads, vector, captureAttention, captureHidden);
        }

        public Options withThreads(int n) {
            return new Options(nCtx, nSeqMax, n, vector, captureAttention, captureHidden);
        }

        public Options withVector(boolean v) {
            return new Options(nCtx, nSeqMax, threads, v && WeightMatrix.vectorUsable(), captureAttention,
                    captureHidden);
        }

        public Options withCaptureAttention(boolean c) {
            return new Options(nCtx, nSeqMax, threads, vector, c, captureHidden);
        }

        public Options withCaptureHidden(boolean c) {
            return new Options(nCtx, nSeqMax, threads, vector, captureAttention, c);
        }
    }

    private final JvmModel model;
    private final JvmModel.HParams hp;
    private final Options opt;
    private final int nCtx;
    private Parallel par;
    private final boolean vector;
    private final float[][][] kCache; // [seq][layer][pos * E + e], allocated on first use
    private final float[][][] vCache;
    private final int[] length;
    private float[][][][] attention;  // [layer][head][token][kv]
    private float[][][] hidden;       // [index][token][E]
    private boolean closed;

    JvmSession(JvmModel model, Options opt) {
        this.model = model;
        this.hp = model.hparams();
        this.opt = opt;
        this.nCtx = opt.nCtx() == 0 ? hp.nCtxTrain() : opt.nCtx();
        if (nCtx > hp.nCtxTrain()) {
            throw new IllegalArgumentException("nCtx " + nCtx + " exceeds the model's n_ctx_train " + hp.nCtxTrain());
        }
        this.vector = opt.vector() && WeightMatrix.vectorUsable();
        this.par = new Parallel(opt.threads());
        this.kCache = new float[opt.nSeqMax()][][];
        this.vCache = new float[opt.nSeqMax()][][];
        this.length = new int[opt.nSeqMax()];
    }

    public JvmModel model() {
        return model;
    }

    public Options options() {
        return opt;
    }

    /** Whether the Vector API kernels run (false: scalar). */
    public boolean vector() {
        return vector;
    }

    public int nCtx() {
        return nCtx;
    }

    /**
     * Appends {@code tokens} to sequence {@code seq} and returns the logits after the last one.
     *
     * @throws IllegalArgumentException for no tokens, a token or sequence out of range, or positions past nCtx
     */
    public synchronized float[] eval(int seq, int... tokens) {
        return forward(seq, tokens, null)[0];
    }

    /** As {@link #eval}, returning the logits at every one of {@code tokens}: [tokens.length][nVocab]. */
    public synchronized float[][] evalAll(int seq, int... tokens) {
        boolean[] all = new boolean[tokens.length];
        Arrays.fill(all, true);
        return forward(seq, tokens, all);
    }

    /**
     * As {@link #eval}, returning the logits at the tokens whose flag in {@code logits} is set, in
     * order: [number of flags set][nVocab] (none: an empty array, the cache still grows).
     */
    public synchronized float[][] evalRows(int seq, int[] tokens, boolean[] logits) {
        if (logits.length != tokens.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logits.length + " logits flags");
        }
        return forward(seq, tokens, logits.clone());
    }

    /** Worker threads for the following evals (1..512). */
    public synchronized void setThreads(int threads) {
        ensureOpen();
        if (threads < 1 || threads > 512) {
            throw new IllegalArgumentException("threads must be in 1..512, was " + threads);
        }
        if (threads != par.threads()) {
            Parallel old = par;
            par = new Parallel(threads);
            old.close();
        }
    }

    /** Worker threads of the evals. */
    public synchronized int threads() {
        return par.threads();
    }

    /** Tokens held by sequence {@code seq}. */
    public synchronized int seqLength(int seq) {
        ensureOpen();
        checkSeq(seq);
        return length[seq];
    }

    /** Makes {@code dst} a copy of {@code src} (its positions and cache). */
    public synchronized void seqCopy(int src, int dst) {
        ensureOpen();
        checkSeq(src);
        checkSeq(dst);
        if (src == dst) {
            return;
        }
        int n = length[src] * hp.nEmbd();
        if (n > 0) {
            alloc(dst);
            for (int il = 0; il < hp.nLayer(); il++) {
                System.arraycopy(kCache[src][il], 0, kCache[dst][il], 0, n);
                System.arraycopy(vCache[src][il], 0, vCache[dst][il], 0, n);
            }
        }
        length[dst] = length[src];
    }

    /** Keeps the first {@code nKeep} positions of {@code seq} (no-op if it holds fewer). */
    public synchronized void seqTruncate(int seq, int nKeep) {
        ensureOpen();
        checkSeq(seq);
        if (nKeep < 0) {
            throw new IllegalArgumentException("nKeep must be >= 0, was " + nKeep);
        }
        length[seq] = Math.min(length[seq], nKeep);
    }

    /** Empties {@code seq}. */
    public synchronized void seqClear(int seq) {
        seqTruncate(seq, 0);
    }

    /**
     * Attention probabilities of layer {@code layer} in the last eval: [head][token][kv position], zero
     * where masked. Needs {@link Options#captureAttention()}.
     */
    public synchronized float[][][] attention(int layer) {
        ensureOpen();
        if (attention == null) {
            throw new IllegalStateException("no attention captured (Options.withCaptureAttention, then eval)");
        }
        return attention[layer];
    }

    /**
     * Hidden states of the last eval, [token][nEmbd]: index 0 = token + position embedding, i in
     * 1..nLayer = output of block i-1, nLayer+1 = after the final LayerNorm. Needs
     * {@link Options#captureHidden()}.
     */
    public synchronized float[][] hidden(int index) {
        ensureOpen();
        if (hidden == null) {
            throw new IllegalStateException("no hidden states captured (Options.withCaptureHidden, then eval)");
        }
        return hidden[index];
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            par.close();
            Arrays.fill(kCache, null);
            Arrays.fill(vCache, null);
        }
    }

    @Override
    public String toString() {
        return "JvmSession[" + model + ", nCtx=" + nCtx + ", threads=" + par.threads() + ", vector=" + vector + "]";
    }

    // ---- the forward pass ----

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
    }

    private void checkSeq(int seq) {
        if (seq < 0 || seq >= length.length) {
            throw new IllegalArgumentException("sequence id " + seq + " out of range 0.." + (length.length - 1));
        }
    }

    private void alloc(int seq) {
        if (kCache[seq] == null) {
            kCache[seq] = new float[hp.nLayer()][nCtx * hp.nEmbd()];
            vCache[seq] = new float[hp.nLayer()][nCtx * hp.nEmbd()];
        }
    }

    private float[][] forward(int seq, int[] tokens, boolean[] want) {
        ensureOpen();
        checkSeq(seq);
        final int T = tokens.length;
        if (T == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        for (int tok : tokens) {
            if (tok < 0 || tok >= hp.nVocab()) {
                throw new IllegalArgumentException("token id " + tok + " out of range 0.." + (hp.nVocab() - 1));
            }
        }
        final int len = length[seq];
        if (len + T > nCtx) {
            throw new IllegalArgumentException("sequence " + seq + " holds " + len + " positions; " + T
                    + " more exceed nCtx " + nCtx);
        }
        alloc(seq);
        final int E = hp.nEmbd(), H = hp.nHead(), D = hp.headDim(), F = hp.nFf(), V = hp.nVocab();
        final int K = len + T; // kv positions read
        final float eps = hp.normEps();
        attention = opt.captureAttention() ? new float[hp.nLayer()][H][T][K] : null;
        hidden = opt.captureHidden() ? new float[hp.nLayer() + 2][][] : null;

        // hidden_states = wte(input_ids) + wpe(position_ids)                          [T, E]
        float[] x = new float[T * E];
        float[] pos = new float[E];
        for (int t = 0; t < T; t++) {
            model.tokenEmbd.row(tokens[t], x, t * E);
            model.posEmbd.row(len + t, pos, 0);
            for (int i = 0; i < E; i++) {
                x[t * E + i] += pos[i];
            }
        }
        capture(0, x, T, E);

        float[] cur = new float[T * E];
        float[] qkv = new float[T * 3 * E];
        float[] att = new float[T * E];
        float[] ff = new float[T * F];
        final float scale = (float) (1.0 / Math.sqrt(D));
        for (int il = 0; il < hp.nLayer(); il++) {
            JvmModel.Layer l = model.layers[il];
            final float[] kc = kCache[seq][il];
            final float[] vc = vCache[seq][il];
            final float[][][] attnL = attention == null ? null : attention[il];

            // hidden_states = self.ln_1(hidden_states)                              [T, E]
            Kernels.layerNorm(x, cur, T, E, l.ln1W(), l.ln1B(), eps);
            // query, key, value = self.c_attn(hidden_states).split(E, dim=2)         [T, 3E]
            Kernels.matmul(par, vector, l.qkvW(), l.qkvB(), cur, E, T, qkv, 3 * E);
            // present: append keys and values at positions len .. len+T-1            [K, E]
            for (int t = 0; t < T; t++) {
                System.arraycopy(qkv, t * 3 * E + E, kc, (len + t) * E, E);
                System.arraycopy(qkv, t * 3 * E + 2 * E, vc, (len + t) * E, E);
            }
            // attn_output = softmax(q @ k.T / sqrt(D) + causal_mask) @ v, per head    [T, E]
            par.forRange(T * H, 1, (from, to) -> {
                float[] p = new float[K];
                for (int th = from; th < to; th++) {
                    int t = th / H, h = th % H;
                    int n = len + t + 1; // causal: positions 0 .. len+t
                    int qOff = t * 3 * E + h * D;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        p[j] = Kernels.dot(vector, qkv, qOff, kc, j * E + h * D, D) * scale;
                        max = Math.max(max, p[j]);
                    }
                    float sum = 0;
                    for (int j = 0; j < n; j++) {
                        p[j] = (float) Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    float inv = 1f / sum;
                    int oOff = t * E + h * D;
                    Arrays.fill(att, oOff, oOff + D, 0f);
                    for (int j = 0; j < n; j++) {
                        p[j] *= inv;
                        Kernels.axpy(vector, p[j], vc, j * E + h * D, att, oOff, D);
                    }
                    if (attnL != null) {
                        System.arraycopy(p, 0, attnL[h][t], 0, n);
                    }
                }
            });
            // attn_output = self.c_proj(attn_output); hidden_states = attn_output + residual
            Kernels.matmul(par, vector, l.attnOutW(), l.attnOutB(), att, E, T, cur, E);
            for (int i = 0; i < T * E; i++) {
                x[i] += cur[i];
            }
            // hidden_states = residual + self.mlp(self.ln_2(hidden_states))
            Kernels.layerNorm(x, cur, T, E, l.ln2W(), l.ln2B(), eps);
            Kernels.matmul(par, vector, l.upW(), l.upB(), cur, E, T, ff, F);         // [T, F]
            par.forRange(T * F, 1024, (from, to) -> Kernels.geluTanh(vector, ff, from, to));
            Kernels.matmul(par, vector, l.downW(), l.downB(), ff, F, T, cur, E);     // [T, E]
            for (int i = 0; i < T * E; i++) {
                x[i] += cur[i];
            }
            capture(il + 1, x, T, E);
        }
        length[seq] = len + T;

        // hidden_states = self.ln_f(hidden_states); lm_logits = self.lm_head(hidden_states)
        Kernels.layerNorm(x, cur, T, E, model.lnFW, model.lnFB, eps);
        capture(hp.nLayer() + 1, cur, T, E);
        int[] rows;
        if (want == null) {
            rows = new int[] {T - 1};
        } else {
            rows = java.util.stream.IntStream.range(0, T).filter(t -> want[t]).toArray();
        }
        int O = rows.length;
        if (O == 0) {
            return new float[0][];
        }
        float[] in;
        if (O == T) {
            in = cur;
        } else {
            in = new float[O * E];
            for (int o = 0; o < O; o++) {
                System.arraycopy(cur, rows[o] * E, in, o * E, E);
            }
        }
        float[] logits = new float[O * V];
        Kernels.matmul(par, vector, model.output, null, in, E, O, logits, V);
        float[][] out = new float[O][];
        for (int o = 0; o < O; o++) {
            out[o] = Arrays.copyOfRange(logits, o * V, (o + 1) * V);
        }
        return out;
    }

    private void capture(int index, float[] x, int T, int E) {
        if (hidden != null) {
            float[][] h = new float[T][];
            for (int t = 0; t < T; t++) {
                h[t] = Arrays.copyOfRange(x, t * E, (t + 1) * E);
            }
            hidden[index] = h;
        }
    }
}
