package dev.gpt2java.jvm;

import dev.gpt2java.Intervention;
import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.LoraGguf;
import dev.gpt2java.internal.Lifetime;

import java.util.Arrays;
import java.util.List;

/**
 * One KV cache (F32, per layer and sequence) and the GPT-2 forward pass over a {@link JvmModel}.
 * Sequences are numbered 0 .. nSeqMax-1 and hold positions 0 .. length-1; {@link #eval} appends to one,
 * {@link #evalBatch} to several in one pass (each weight row is read once for all the batch's tokens).
 * Methods are synchronized; parallelism is inside each call (over weight rows, and over
 * (token, head) pairs in attention). The activations and logits live in buffers reused from eval to
 * eval. Close it to stop its worker threads.
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
    private final ModelShape hp;
    private final Options opt;
    private final int nCtx;
    private Parallel par;
    private final boolean vector;
    private final float[][][] kCache; // [seq][layer][pos * E + e], allocated on first use
    private final float[][][] vCache;
    private final int[] length;
    private float[][][][] attention;  // [layer][head][token][kv]
    private float[][][] hidden;       // [index][token][E]
    private float[][][] heads;        // [layer][token][E], with the hidden states
    private List<Intervention> interventions = List.of();
    private List<JvmAdapter> adapters = List.of();
    private float[] adapterScales = new float[0];
    private float[] loraMid = new float[0], loraOut = new float[0];   // [T, rank], [T, out] of one adapter's term
    /** Stops the workers and drops the cache; methods are synchronized, so close waits for a call in flight. */
    private final Lifetime lifetime = new Lifetime("session", this::free);

    // buffers of the forward pass, grown to the largest batch seen and reused
    private int capTokens;
    private float[] x, cur, qkv, att, ff;       // [T, E], [T, E], [T, 3E], [T, E], [T, F]
    private int[] tokSeq, tokPos;                // each token's sequence and position
    private final int[] seqCount;                // tokens of the batch per sequence
    private float[] logits = new float[0];       // [nOut, V] of the last eval
    private int[] outIndex = new int[0];         // batch index of each output row
    private int nOut;

    JvmSession(JvmModel model, Options opt) {
        this.model = model;
        this.hp = model.hparams();
        this.opt = opt;
        this.nCtx = opt.nCtx() == 0 ? hp.nCtx() : opt.nCtx();
        if (nCtx > hp.nCtx()) {
            throw new IllegalArgumentException("nCtx " + nCtx + " exceeds the model's n_ctx_train " + hp.nCtx());
        }
        this.vector = opt.vector() && WeightMatrix.vectorUsable();
        this.par = new Parallel(opt.threads());
        this.kCache = new float[opt.nSeqMax()][][];
        this.vCache = new float[opt.nSeqMax()][][];
        this.length = new int[opt.nSeqMax()];
        this.seqCount = new int[opt.nSeqMax()];
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
        boolean[] want = new boolean[tokens.length];
        if (tokens.length > 0) {
            want[tokens.length - 1] = true;
        }
        forward(seqsOf(seq, tokens.length), tokens, want, tokens.length);
        return rows()[0];
    }

    /** As {@link #eval}, returning the logits at every one of {@code tokens}: [tokens.length][nVocab]. */
    public synchronized float[][] evalAll(int seq, int... tokens) {
        boolean[] all = new boolean[tokens.length];
        Arrays.fill(all, true);
        forward(seqsOf(seq, tokens.length), tokens, all, tokens.length);
        return rows();
    }

    /**
     * As {@link #eval}, returning the logits at the tokens whose flag in {@code logits} is set, in
     * order: [number of flags set][nVocab] (none: an empty array, the cache still grows).
     */
    public synchronized float[][] evalRows(int seq, int[] tokens, boolean[] logits) {
        if (logits.length != tokens.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logits.length + " logits flags");
        }
        forward(seqsOf(seq, tokens.length), tokens, logits, tokens.length);
        return rows();
    }

    /**
     * Evaluates a batch of {@code n} tokens in one pass: token i is appended to sequence
     * {@code seqIds[i]} (a sequence's tokens in batch order), and logits are computed at the tokens whose
     * {@code logits[i]} is set. Returns the number of logits rows, in batch order, read with
     * {@link #logits(int, float[])} and {@link #outputTokenIndex(int)} until the next eval. Nothing is
     * allocated per call once the buffers have grown to the batch's size.
     *
     * @throws IllegalArgumentException for n out of 1..arrays' length, a token or sequence out of range,
     *                                  or a sequence's positions past nCtx (nothing is appended then)
     */
    public synchronized int evalBatch(int[] seqIds, int[] tokens, boolean[] logits, int n) {
        if (n < 1 || n > tokens.length || n > seqIds.length || n > logits.length) {
            throw new IllegalArgumentException("n = " + n + " must be in 1.." + Math.min(tokens.length,
                    Math.min(seqIds.length, logits.length)) + " (the arrays' length)");
        }
        forward(seqIds, tokens, logits, n);
        return nOut;
    }

    /** Copies logits row {@code row} of the last eval into {@code dst} (nVocab floats) and returns it. */
    public synchronized float[] logits(int row, float[] dst) {
        ensureOpen();
        checkRow(row);
        if (dst.length != hp.nVocab()) {
            throw new IllegalArgumentException("dst holds " + dst.length + " floats, a row " + hp.nVocab());
        }
        System.arraycopy(logits, row * hp.nVocab(), dst, 0, hp.nVocab());
        return dst;
    }

    /** The batch index of the token behind logits row {@code row} of the last eval. */
    public synchronized int outputTokenIndex(int row) {
        ensureOpen();
        checkRow(row);
        return outIndex[row];
    }

    private void checkRow(int row) {
        if (row < 0 || row >= nOut) {
            throw new IllegalArgumentException("logits row " + row + " out of range 0.." + (nOut - 1));
        }
    }

    private static int[] seqsOf(int seq, int n) {
        int[] seqs = new int[n];
        Arrays.fill(seqs, seq);
        return seqs;
    }

    /** The logits rows of the last eval, copied. */
    private float[][] rows() {
        int v = hp.nVocab();
        float[][] out = new float[nOut][];
        for (int o = 0; o < nOut; o++) {
            out[o] = Arrays.copyOfRange(logits, o * v, (o + 1) * v);
        }
        return out;
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
     * Attention probabilities of layer {@code layer} in the last eval: [head][token][kv position] (the
     * positions of each token's own sequence, as many as the longest sequence of the batch holds), zero
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

    /**
     * The attention heads' outputs of block {@code layer} in the last eval, [token][nEmbd], before the
     * output projection. Needs {@link Options#captureHidden()}.
     */
    public synchronized float[][] headOutputs(int layer) {
        ensureOpen();
        if (heads == null) {
            throw new IllegalStateException("no head outputs captured (Options.withCaptureHidden, then eval)");
        }
        return heads[layer];
    }

    /** The interventions of the following evals (gpt2.h, "Interventions"), checked by the caller. */
    public synchronized void setInterventions(List<Intervention> interventions) {
        ensureOpen();
        this.interventions = List.copyOf(interventions);
    }

    /**
     * The LoRA adapters of the following evals (gpt2.h, "LoRA adapters"), {@code adapters.get(i)} at
     * {@code scales[i]}, replacing any before; each loaded for this session's model, listed once, its scale
     * finite (checked by the caller).
     */
    public synchronized void setAdapters(List<JvmAdapter> adapters, float[] scales) {
        ensureOpen();
        if (adapters.size() != scales.length) {
            throw new IllegalArgumentException(adapters.size() + " adapters, " + scales.length + " scales");
        }
        for (JvmAdapter a : adapters) {
            if (a.model() != model) {
                throw new IllegalArgumentException(a + " was loaded for another model than the session's");
            }
        }
        this.adapters = List.copyOf(adapters);
        this.adapterScales = scales.clone();
    }

    /**
     * out[t * outStride + r] += scale · (B (A x_t))[r] for each adapter on matrix {@code target} of block
     * {@code layer}: peft's lora_B(lora_A(x)) * scaling, added to x @ W + b.
     */
    private void adapt(int layer, LoraGguf.Target target, float[] x, int xStride, int T, float[] out, int outStride) {
        for (int i = 0; i < adapters.size(); i++) {
            JvmAdapter a = adapters.get(i);
            JvmAdapter.Pair p = a.pair(layer, target);
            if (p == null) {
                continue;
            }
            int r = p.rank(), n = p.out();
            if (loraMid.length < T * r) {
                loraMid = new float[T * r];
            }
            if (loraOut.length < T * n) {
                loraOut = new float[T * n];
            }
            Kernels.matmul(par, vector, p.a(), null, x, xStride, T, loraMid, r);        // [T, rank]
            Kernels.matmul(par, vector, p.b(), null, loraMid, r, T, loraOut, n);        // [T, out]
            float s = a.scale(p, adapterScales[i]);
            for (int t = 0; t < T; t++) {
                for (int o = 0; o < n; o++) {
                    out[t * outStride + o] += s * loraOut[t * n + o];
                }
            }
        }
    }

    /** a[t * E + ...] = scale * a + values for the interventions on (site, layer), in list order. */
    private void intervene(Intervention.Site site, int layer, float[] a, int T, int E, int D) {
        for (Intervention iv : interventions) {
            if (iv.site() != site || iv.layer() != layer) {
                continue;
            }
            int lo = site == Intervention.Site.HEAD ? iv.head() * D : 0;
            int n = site == Intervention.Site.HEAD ? D : E;
            float[] v = iv.values();
            for (int t = 0; t < T; t++) {
                if (iv.position() >= 0 && tokPos[t] != iv.position()) {
                    continue;
                }
                for (int e = 0; e < n; e++) {
                    int i = t * E + lo + e;
                    a[i] = a[i] * iv.scale() + (v == null ? 0f : v[e]);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        lifetime.close();
    }

    private void free() {
        par.close();
        Arrays.fill(kCache, null);
        Arrays.fill(vCache, null);
    }

    @Override
    public String toString() {
        return "JvmSession[" + model + ", nCtx=" + nCtx + ", threads=" + par.threads() + ", vector=" + vector + "]";
    }

    // ---- the forward pass ----

    private void ensureOpen() {
        lifetime.ensureOpen();
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

    private void grow(int T) {
        if (T > capTokens) {
            int c = Math.max(T, Math.min(2 * capTokens, nCtx * opt.nSeqMax()));
            final int E = hp.nEmbd();
            x = new float[c * E];
            cur = new float[c * E];
            qkv = new float[c * 3 * E];
            att = new float[c * E];
            ff = new float[c * hp.nFf()];
            tokSeq = new int[c];
            tokPos = new int[c];
            capTokens = c;
        }
    }

    /** The forward pass of a batch; on a bad argument nothing changes. */
    private void forward(int[] seqs, int[] tokens, boolean[] want, int T) {
        ensureOpen();
        if (T == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        Arrays.fill(seqCount, 0);
        for (int t = 0; t < T; t++) {
            checkSeq(seqs[t]);
            if (tokens[t] < 0 || tokens[t] >= hp.nVocab()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " out of range 0.." + (hp.nVocab() - 1));
            }
            seqCount[seqs[t]]++;
        }
        for (int sq = 0; sq < seqCount.length; sq++) {
            if (length[sq] + seqCount[sq] > nCtx) {
                throw new IllegalArgumentException("sequence " + sq + " holds " + length[sq] + " positions; "
                        + seqCount[sq] + " more exceed nCtx " + nCtx);
            }
        }
        grow(T);
        nOut = 0;
        int K = 0; // kv positions read: the longest sequence after the batch
        Arrays.fill(seqCount, 0);
        for (int t = 0; t < T; t++) {
            int sq = seqs[t];
            alloc(sq);
            tokSeq[t] = sq;
            tokPos[t] = length[sq] + seqCount[sq]++;
            K = Math.max(K, tokPos[t] + 1);
        }
        final int E = hp.nEmbd(), H = hp.nHead(), D = hp.headDim(), F = hp.nFf(), V = hp.nVocab();
        final int nKeys = K;
        final float eps = hp.normEps();
        final float[] x = this.x, cur = this.cur, qkv = this.qkv, att = this.att, ff = this.ff;
        final int[] tokSeq = this.tokSeq, tokPos = this.tokPos;
        attention = opt.captureAttention() ? new float[hp.nLayer()][H][T][K] : null;
        hidden = opt.captureHidden() ? new float[hp.nLayer() + 2][][] : null;
        heads = opt.captureHidden() ? new float[hp.nLayer()][][] : null;

        // hidden_states = wte(input_ids) + wpe(position_ids)                          [T, E]
        for (int t = 0; t < T; t++) {
            model.tokenEmbd.row(tokens[t], x, t * E);
            model.posEmbd.row(tokPos[t], cur, t * E);
            for (int i = 0; i < E; i++) {
                x[t * E + i] += cur[t * E + i];
            }
        }
        intervene(Intervention.Site.RESIDUAL, 0, x, T, E, D);
        capture(0, x, T, E);

        final float scale = (float) (1.0 / Math.sqrt(D));
        // a chunk of attention is worth a thread from ~16K multiply-adds
        final int attMinChunk = Math.max(1, 16384 / (K * D));
        for (int il = 0; il < hp.nLayer(); il++) {
            JvmModel.Layer l = model.layers[il];
            final int layer = il;
            final float[][][] attnL = attention == null ? null : attention[il];

            // hidden_states = self.ln_1(hidden_states)                              [T, E]
            Kernels.layerNorm(x, cur, T, E, l.ln1W(), l.ln1B(), eps);
            // query, key, value = self.c_attn(hidden_states).split(E, dim=2)         [T, 3E]
            Kernels.matmul(par, vector, l.qkvW(), l.qkvB(), cur, E, T, qkv, 3 * E);
            adapt(il, LoraGguf.Target.ATTN_QKV, cur, E, T, qkv, 3 * E);
            // present: each token's key and value at its position in its sequence's cache
            for (int t = 0; t < T; t++) {
                System.arraycopy(qkv, t * 3 * E + E, kCache[tokSeq[t]][il], tokPos[t] * E, E);
                System.arraycopy(qkv, t * 3 * E + 2 * E, vCache[tokSeq[t]][il], tokPos[t] * E, E);
            }
            // attn_output = softmax(q @ k.T / sqrt(D) + causal_mask) @ v, per head    [T, E]
            par.forRange(T * H, attMinChunk, (from, to) -> {
                float[] p = new float[nKeys];
                for (int th = from; th < to; th++) {
                    int t = th / H, h = th % H;
                    float[] kc = kCache[tokSeq[t]][layer];
                    float[] vc = vCache[tokSeq[t]][layer];
                    int n = tokPos[t] + 1; // causal: positions 0 .. pos of the token's own sequence
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
            // the heads' outputs, intervened and captured before c_proj                  [T, E]
            intervene(Intervention.Site.HEAD, il, att, T, E, D);
            if (heads != null) {
                heads[il] = rows(att, T, E);
            }
            // attn_output = self.c_proj(attn_output); hidden_states = attn_output + residual
            Kernels.matmul(par, vector, l.attnOutW(), l.attnOutB(), att, E, T, cur, E);
            adapt(il, LoraGguf.Target.ATTN_OUTPUT, att, E, T, cur, E);
            Kernels.add(x, cur, T * E);
            // hidden_states = residual + self.mlp(self.ln_2(hidden_states))
            Kernels.layerNorm(x, cur, T, E, l.ln2W(), l.ln2B(), eps);
            Kernels.matmul(par, vector, l.upW(), l.upB(), cur, E, T, ff, F);         // [T, F]
            adapt(il, LoraGguf.Target.FFN_UP, cur, E, T, ff, F);
            par.forRange(T * F, 4096, (from, to) -> Kernels.geluTanh(vector, ff, from, to));
            Kernels.matmul(par, vector, l.downW(), l.downB(), ff, F, T, cur, E);     // [T, E]
            adapt(il, LoraGguf.Target.FFN_DOWN, ff, F, T, cur, E);
            Kernels.add(x, cur, T * E);
            intervene(Intervention.Site.RESIDUAL, il + 1, x, T, E, D);
            capture(il + 1, x, T, E);
        }

        for (int sq = 0; sq < seqCount.length; sq++) {
            length[sq] += seqCount[sq];
        }

        // hidden_states = self.ln_f(hidden_states); lm_logits = self.lm_head(hidden_states)
        Kernels.layerNorm(x, cur, T, E, model.lnFW, model.lnFB, eps);
        capture(hp.nLayer() + 1, cur, T, E);
        int O = 0;
        for (int t = 0; t < T; t++) {
            O += want[t] ? 1 : 0;
        }
        if (outIndex.length < O) {
            outIndex = new int[O];
        }
        if (logits.length < O * V) {
            logits = new float[O * V];
        }
        for (int t = 0, o = 0; t < T; t++) {
            if (want[t]) {
                outIndex[o] = t;
                if (O != T) {
                    System.arraycopy(cur, t * E, x, o * E, E); // gather the rows in x, free by now
                }
                o++;
            }
        }
        if (O > 0) {
            Kernels.matmul(par, vector, model.output, null, O == T ? cur : x, E, O, logits, V);
        }
        nOut = O;
    }

    private void capture(int index, float[] x, int T, int E) {
        if (hidden != null) {
            hidden[index] = rows(x, T, E);
        }
    }

    private static float[][] rows(float[] x, int T, int E) {
        float[][] h = new float[T][];
        for (int t = 0; t < T; t++) {
            h[t] = Arrays.copyOfRange(x, t * E, (t + 1) * E);
        }
        return h;
    }
}
