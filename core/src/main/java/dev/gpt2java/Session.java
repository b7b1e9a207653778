package dev.gpt2java;

import dev.gpt2java.internal.Checks;
import dev.gpt2java.internal.Lifetime;
import dev.gpt2java.spi.AdapterEngine;
import dev.gpt2java.spi.SessionEngine;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    private final SessionEngine engine;
    private final SessionParams params;
    private final int nVocab;
    private final int nCtxTrain;
    private final int nLayer;

    /** Frees the engine's session, then lets the model go (its weights stay until its last session is closed). */
    private final Lifetime lifetime;
    private int nOutputs;
    /** An eval has succeeded: the captures hold something (both engines refuse to show them before). */
    private boolean evaluated;
    private LogitsView view;
    /** The LoRA adapters of the following evals and their scales, in order; the session holds each. */
    private Map<LoraAdapter, Float> adapters = Map.of();
    private final int[] perSeqCount;
    // scratch for the one-sequence evals, sized nBatch: the decode path allocates nothing per token
    private final int[] seqScratch;
    private final boolean[] wantScratch;
    private final int[] tokenScratch;

    Session(Gpt2Model model, SessionEngine engine) {
        this.model = model;
        this.engine = engine;
        this.nVocab = model.nVocab();
        this.nCtxTrain = model.nCtxTrain();
        this.nLayer = model.nLayer();
        this.params = engine.params();
        this.perSeqCount = new int[params.nSeqMax()];
        this.seqScratch = new int[params.nBatch()];
        this.wantScratch = new boolean[params.nBatch()];
        this.tokenScratch = new int[1];
        this.lifetime = new Lifetime("Session", () -> {
            try {
                engine.close();
            } finally {
                adapters.keySet().forEach(LoraAdapter::release);
                model.lifetime().release();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // lifetime
    // ---------------------------------------------------------------------------------------------

    /** Frees the session (and, if its model is closed and this was its last session, the weights). Idempotent. */
    @Override
    public synchronized void close() {
        if (!lifetime.isClosed()) {
            invalidateView();
            lifetime.close();
        }
    }

    public synchronized boolean isClosed() {
        return lifetime.isClosed();
    }

    private void ensureOpen() {
        lifetime.ensureOpen();
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
        engine.setThreads(threads);
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
     * Appends {@code tokens} to sequence {@code seqId} and returns the logits after the last of them,
     * in a new array (see {@link #evalInto} to reuse one).
     *
     * @throws IllegalArgumentException for an empty or too long token list (more than nBatch), a token
     *                                  or sequence id out of range, or positions past nCtxTrain
     * @throws Gpt2Exception            if the KV cache is full ({@link Status#KV_FULL}: nothing was
     *                                  appended) or the backend fails
     */
    public synchronized float[] eval(int seqId, int... tokens) {
        return evalInto(new float[nVocab], seqId, tokens);
    }

    /**
     * As {@link #eval(int, int...)}, writing the logits after the last token into {@code dst} instead of
     * a new array: a decoding loop that reuses {@code dst} allocates nothing per token.
     *
     * @param dst receives the nVocab logits (its length must be {@link #nVocab()})
     * @return {@code dst}
     * @throws IllegalArgumentException as {@link #eval(int, int...)}, or for a {@code dst} of another length
     * @throws Gpt2Exception            as {@link #eval(int, int...)}
     */
    public synchronized float[] evalInto(float[] dst, int seqId, int... tokens) {
        ensureOpen();
        checkDst(dst);
        return evalOne(dst, seqId, tokens);
    }

    /**
     * As {@link #evalInto(float[], int, int...)} for one token (no varargs array).
     *
     * @return {@code dst}
     */
    public synchronized float[] evalInto(float[] dst, int seqId, int token) {
        ensureOpen();
        checkDst(dst);
        tokenScratch[0] = token;
        return evalOne(dst, seqId, tokenScratch);
    }

    private void checkDst(float[] dst) {
        java.util.Objects.requireNonNull(dst, "dst");
        if (dst.length != nVocab) {
            throw new IllegalArgumentException("dst holds " + dst.length + " floats, the logits are " + nVocab
                    + " (nVocab)");
        }
    }

    private float[] evalOne(float[] dst, int seqId, int[] tokens) {
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
        int n = tokens.length;
        java.util.Arrays.fill(seqScratch, 0, n, seqId);
        java.util.Arrays.fill(wantScratch, 0, n - 1, false);
        wantScratch[n - 1] = true;
        run(tokens, seqScratch, wantScratch, n);
        engine.logitsInto(0, dst);
        return dst;
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
        run(toks, seqs, want, n);
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

    private void run(int[] toks, int[] seqs, boolean[] want, int n) {
        invalidateView();
        nOutputs = 0;
        nOutputs = engine.eval(toks, seqs, want, n);
        evaluated = true;
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
        return logits(outputIndex, new float[nVocab]);
    }

    /**
     * Copies output row {@code outputIndex} of the last eval into {@code dst} (nVocab floats) and returns
     * it: the allocation-free form of {@link #logits(int)}.
     */
    public synchronized float[] logits(int outputIndex, float[] dst) {
        ensureOpen();
        checkDst(dst);
        Checks.index("output row", outputIndex, nOutputs);
        engine.logitsInto(outputIndex, dst);
        return dst;
    }

    /** Index in the last batch of the token behind output row {@code outputIndex}. */
    public synchronized int outputTokenIndex(int outputIndex) {
        ensureOpen();
        Checks.index("output row", outputIndex, nOutputs);
        return engine.outputTokenIndex(outputIndex);
    }

    /**
     * The logits of the last eval in place, without a copy; valid until the next eval or close (then
     * it throws IllegalStateException).
     */
    public synchronized LogitsView logitsView() {
        ensureOpen();
        if (view == null) {
            Arena arena = Arena.ofShared();
            int[] index = new int[nOutputs];
            for (int r = 0; r < nOutputs; r++) {
                index[r] = engine.outputTokenIndex(r);
            }
            view = new LogitsView(engine.logits(nOutputs, arena), arena, nOutputs, nVocab, index);
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
        return engine.seqLength(seqId);
    }

    /** Makes {@code dst} a copy of {@code src} (dst's content is dropped); cells are shared, not copied. */
    public synchronized void seqCopy(int src, int dst) {
        ensureOpen();
        checkSeq("source sequence id", src);
        checkSeq("destination sequence id", dst);
        engine.seqCopy(src, dst);
    }

    /** Empties the sequence. */
    public synchronized void seqClear(int seqId) {
        ensureOpen();
        checkSeq("sequence id", seqId);
        engine.seqClear(seqId);
    }

    /** Empties all sequences. */
    public synchronized void clearAll() {
        ensureOpen();
        engine.seqClear(-1);
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
        engine.seqTruncate(seqId, nKeep);
    }

    /** KV cells in use by at least one sequence. */
    public synchronized int kvUsedCells() {
        ensureOpen();
        return engine.kvUsedCells();
    }

    // ---------------------------------------------------------------------------------------------
    // captures
    // ---------------------------------------------------------------------------------------------

    /**
     * The attention probabilities of layer {@code layer} in the last eval, {@code [head][query][key]}:
     * query q is batch token q, key k is position k of q's sequence, keys a query cannot see are 0.
     * Needs a session made with {@link SessionParams#captureAttention()}, and an eval that succeeded
     * (before one: {@link IllegalStateException}, on both engines).
     */
    public synchronized float[][][] attention(int layer) {
        requireCaptured(params.captureAttention(), "captureAttention", "layer", layer, nLayer);
        return engine.attention(layer);
    }

    /**
     * The hidden states at point {@code index} of the last eval, {@code [token][embd]}: 0 the input
     * embeddings (wte + wpe), 1..nLayer the output of that block, nLayer+1 the output of the final
     * LayerNorm. Needs a session made with {@link SessionParams#captureHidden()}, and an eval that
     * succeeded (before one: {@link IllegalStateException}).
     */
    public synchronized float[][] hidden(int index) {
        requireCaptured(params.captureHidden(), "captureHidden", "hidden-state index", index, nLayer + 2);
        return engine.hidden(index);
    }

    /**
     * The attention heads' outputs of block {@code layer} in the last eval, {@code [token][embd]}: the
     * heads side by side (head h in columns h * nEmbd/nHead ..), before the block's output projection
     * (Hugging Face's attn_output after merging the heads). Needs {@link SessionParams#captureHidden()}
     * and an eval that succeeded. What {@link Intervention.Site#HEAD} acts on.
     */
    public synchronized float[][] headOutputs(int layer) {
        requireCaptured(params.captureHidden(), "captureHidden", "layer", layer, nLayer);
        return engine.headOutputs(layer);
    }

    // ---------------------------------------------------------------------------------------------
    // interventions
    // ---------------------------------------------------------------------------------------------

    /**
     * The interventions of the following evals (ablations, patches: {@link Intervention}), replacing any
     * before; an empty list clears them. Applied in list order where several meet on one activation.
     * Checked against the model first (layer, head, the number of values): a bad one is an
     * {@link IllegalArgumentException} naming its index, and nothing changes.
     */
    public synchronized void setInterventions(List<Intervention> interventions) {
        ensureOpen();
        List<Intervention> list = List.copyOf(interventions);
        if (list.size() > MAX_INTERVENTIONS) {
            throw new IllegalArgumentException("at most " + MAX_INTERVENTIONS + " interventions, got " + list.size());
        }
        int nEmbd = model.nEmbd(), nHead = model.nHead();
        for (int i = 0; i < list.size(); i++) {
            Intervention iv = list.get(i);
            boolean head = iv.site() == Intervention.Site.HEAD;
            int maxLayer = head ? nLayer - 1 : nLayer;
            if (iv.layer() > maxLayer) {
                throw new IllegalArgumentException("interventions[" + i + "]: layer " + iv.layer() + " is out of range [0, "
                        + maxLayer + "] for " + iv.site());
            }
            if (head && iv.head() >= nHead) {
                throw new IllegalArgumentException("interventions[" + i + "]: head " + iv.head() + " is out of range [0, " + nHead + ")");
            }
            if (iv.position() >= nCtxTrain) {
                throw new IllegalArgumentException("interventions[" + i + "]: position " + iv.position() + " is out of range [-1, "
                        + nCtxTrain + ")");
            }
            int want = head ? nEmbd / nHead : nEmbd;
            float[] v = iv.values();
            if (v != null && v.length != want) {
                throw new IllegalArgumentException("interventions[" + i + "]: " + v.length + " values, " + iv.site() + " takes " + want);
            }
        }
        engine.setInterventions(list);
    }

    /** The most interventions a session holds (gpt2.h's GPT2_MAX_INTERVENTIONS). */
    public static final int MAX_INTERVENTIONS = 4096;

    // ---------------------------------------------------------------------------------------------
    // LoRA adapters
    // ---------------------------------------------------------------------------------------------

    /**
     * Applies {@code adapter} at {@code scale} in the following evals, replacing any adapters before:
     * x @ W + scale · alpha / rank · (x @ A) @ B on each matrix it adapts ({@link LoraAdapter}). Scale 1 gives
     * the model that {@code gpt2 finetune --merge} would have written; 0 the base model, bit for bit.
     *
     * @throws IllegalArgumentException if the adapter was loaded for another model, or scale is not finite
     * @throws IllegalStateException    if the adapter is closed
     */
    public synchronized void setAdapter(LoraAdapter adapter, float scale) {
        setAdapters(Map.of(Objects.requireNonNull(adapter, "adapter"), scale));
    }

    /**
     * Applies several adapters at once, replacing any before, each at its scale; their terms add, in the
     * map's iteration order (use a {@link java.util.LinkedHashMap} to fix it). An empty map clears them.
     * At most {@value #MAX_ADAPTERS}. A bad entry is an exception naming it, and nothing changes.
     *
     * @throws IllegalArgumentException if an adapter was loaded for another model, a scale is not finite, or
     *                                  there are more than {@value #MAX_ADAPTERS}
     * @throws IllegalStateException    if an adapter is closed
     */
    public synchronized void setAdapters(Map<LoraAdapter, Float> adapters) {
        ensureOpen();
        Objects.requireNonNull(adapters, "adapters");
        if (adapters.size() > MAX_ADAPTERS) {
            throw new IllegalArgumentException("at most " + MAX_ADAPTERS + " adapters, got " + adapters.size());
        }
        Map<LoraAdapter, Float> next = new LinkedHashMap<>();
        float[] scales = new float[adapters.size()];
        int i = 0;
        for (Map.Entry<LoraAdapter, Float> e : adapters.entrySet()) {
            LoraAdapter a = Objects.requireNonNull(e.getKey(), "adapter");
            Float scale = Objects.requireNonNull(e.getValue(), () -> "the scale of " + a);
            if (a.model() != model) {
                throw new IllegalArgumentException(a + " was loaded for another model than this session's (" + model + ")");
            }
            if (!Float.isFinite(scale)) {
                throw new IllegalArgumentException("the scale of " + a + " must be finite, was " + scale);
            }
            scales[i++] = scale;
            next.put(a, scale);
        }
        List<AdapterEngine> engines = new ArrayList<>();
        try {
            for (LoraAdapter a : next.keySet()) {
                engines.add(a.retain());
            }
            engine.setAdapters(engines, scales);
        } catch (RuntimeException | Error x) {
            next.keySet().stream().limit(engines.size()).forEach(LoraAdapter::release);
            throw x;
        }
        Map<LoraAdapter, Float> before = this.adapters;
        this.adapters = Collections.unmodifiableMap(next);
        before.keySet().forEach(LoraAdapter::release);
    }

    /** Applies no adapter in the following evals. */
    public synchronized void clearAdapters() {
        setAdapters(Map.of());
    }

    /** The adapters of the following evals and their scales, in the order their terms add (unmodifiable). */
    public synchronized Map<LoraAdapter, Float> adapters() {
        ensureOpen();
        return adapters;
    }

    /** The most adapters a session applies at once (gpt2.h's GPT2_MAX_ADAPTERS). */
    public static final int MAX_ADAPTERS = 16;

    /** Before a capture is read: open, made to capture it ({@code param}), {@code i} in [0, n), an eval succeeded. */
    private void requireCaptured(boolean captures, String param, String indexName, int i, int n) {
        ensureOpen();
        if (!captures) {
            throw new IllegalStateException("the session was made without " + param);
        }
        Checks.index(indexName, i, n);
        if (!evaluated) {
            throw new IllegalStateException("nothing captured yet: no eval has succeeded on this session");
        }
    }

    @Override
    public synchronized String toString() {
        return "Session[" + (lifetime.isClosed() ? "closed" : params.nCells() + " cells, " + params.nSeqMax() + " sequences, nBatch "
                + params.nBatch()) + "]";
    }
}
