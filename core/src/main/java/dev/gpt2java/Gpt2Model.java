package dev.gpt2java;

import dev.gpt2java.spi.ModelEngine;

import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A GPT-2 model loaded from a GGUF file (llama.cpp's tensor names and keys): its hyper-parameters,
 * its vocabulary, and the factory of {@link Session}s that evaluate it.
 *
 * <h2>Threads</h2>
 * A model is immutable once loaded and may be shared by many threads: any number of them may read
 * it and create sessions at once. Each {@link Session} is for one thread at a time.
 *
 * <h2>Lifetime</h2>
 * {@link #close()} frees the native model; a second close does nothing, and any other call after it
 * throws {@link IllegalStateException} (native memory is never touched once freed). Sessions made from
 * the model stay usable after it is closed: they hold their own native reference to the weights, which
 * are released when the last of them is closed too. {@code close()} waits for calls in flight on other
 * threads.
 */
public final class Gpt2Model implements AutoCloseable {

    private final Path path;
    private final ModelParams params;
    private final ModelEngine engine;

    /** Native calls hold the read lock; close() takes the write lock, so it never frees under a call. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    // hyper-parameters: the model is immutable, so read once
    private final int nVocab;
    private final int nCtxTrain;
    private final int nEmbd;
    private final int nHead;
    private final int nLayer;
    private final int nFf;
    private final float normEps;
    private final int weightTypeCode;
    private final boolean outputTied;
    private final long nParams;
    private final long sizeBytes;
    private final String backendName;
    private final String name;
    private final int bos;
    private final int eos;

    private volatile List<String> merges;
    private volatile Gpt2Tokenizer tokenizer;

    private Gpt2Model(Path path, ModelParams params, ModelEngine engine) {
        this.path = path;
        this.params = params;
        this.engine = engine;
        this.nVocab = engine.nVocab();
        this.nCtxTrain = engine.nCtxTrain();
        this.nEmbd = engine.nEmbd();
        this.nHead = engine.nHead();
        this.nLayer = engine.nLayer();
        this.nFf = engine.nFf();
        this.normEps = engine.normEps();
        this.weightTypeCode = engine.weightTypeCode();
        this.outputTied = engine.outputTied();
        this.nParams = engine.nParams();
        this.sizeBytes = engine.sizeBytes();
        this.backendName = engine.backendName();
        this.name = engine.name();
        this.bos = engine.bos();
        this.eos = engine.eos();
    }

    /** Loads a model with {@link ModelParams#defaults()}. */
    public static Gpt2Model load(Path path) {
        return load(path, ModelParams.defaults());
    }

    /**
     * Loads a GPT-2 GGUF file.
     *
     * @throws Gpt2Exception if the file cannot be read or is not a valid GPT-2 GGUF; the message names
     *                       the file and the fault
     * @throws UnsatisfiedLinkError if libgpt2 cannot be loaded (the message lists the places tried)
     */
    public static Gpt2Model load(Path path, ModelParams params) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(params, "params");
        return new Gpt2Model(path, params, Engines.load(path, params));
    }

    // ---------------------------------------------------------------------------------------------
    // lifetime
    // ---------------------------------------------------------------------------------------------

    /** Frees the native model (its weights go once its sessions are closed too). Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                engine.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Gpt2Model " + path + " is closed");
        }
    }

    /** Runs {@code f} on the engine, which stays open meanwhile (read lock). */
    private <T> T withEngine(Function<ModelEngine, T> f) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return f.apply(engine);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sessions
    // ---------------------------------------------------------------------------------------------

    /** A session with {@link SessionParams#defaults()}. */
    public Session newSession() {
        return newSession(SessionParams.defaults());
    }

    /**
     * A new session (KV cache and compute buffers) on this model.
     *
     * @throws Gpt2Exception if libgpt2 refuses the parameters or cannot allocate the session
     */
    public Session newSession(SessionParams params) {
        Objects.requireNonNull(params, "params");
        return withEngine(e -> new Session(this, e.newSession(params)));
    }

    // ---------------------------------------------------------------------------------------------
    // hyper-parameters
    // ---------------------------------------------------------------------------------------------

    /** The file the model was loaded from. */
    public Path path() {
        return path;
    }

    /** The parameters the model was loaded with. */
    public ModelParams params() {
        ensureOpen();
        return params;
    }

    /** Vocabulary size; token ids are {@code 0 .. nVocab()-1}. */
    public int nVocab() {
        ensureOpen();
        return nVocab;
    }

    /** Learned positions: a sequence holds at most this many tokens. */
    public int nCtxTrain() {
        ensureOpen();
        return nCtxTrain;
    }

    public int nEmbd() {
        ensureOpen();
        return nEmbd;
    }

    public int nHead() {
        ensureOpen();
        return nHead;
    }

    public int nLayer() {
        ensureOpen();
        return nLayer;
    }

    /** Width of the feed-forward layer (4 * nEmbd for GPT-2). */
    public int nFf() {
        ensureOpen();
        return nFf;
    }

    /** LayerNorm epsilon (1e-5 for GPT-2). */
    public float normEps() {
        ensureOpen();
        return normEps;
    }

    /** Type of the weight matrices (of {@code blk.0.attn_qkv.weight}). */
    public TensorType weightType() {
        ensureOpen();
        return TensorType.ofCode(weightTypeCode);
    }

    /** Whether the output matrix is the token embeddings (no {@code output.weight}). */
    public boolean outputTied() {
        ensureOpen();
        return outputTied;
    }

    /** Number of parameters. */
    public long nParams() {
        ensureOpen();
        return nParams;
    }

    /** Bytes of all weight tensors. */
    public long sizeBytes() {
        ensureOpen();
        return sizeBytes;
    }

    /** The backend the model runs on ({@code "CPU"}, {@code "CUDA0"}, ...). */
    public String backendName() {
        ensureOpen();
        return backendName;
    }

    /** {@code general.name} of the file, or "" if absent. */
    public String name() {
        ensureOpen();
        return name;
    }

    // ---------------------------------------------------------------------------------------------
    // vocabulary
    // ---------------------------------------------------------------------------------------------

    private void checkToken(int id) {
        if (id < 0 || id >= nVocab) {
            throw new IllegalArgumentException("token id " + id + " out of range 0.." + (nVocab - 1));
        }
    }

    /** The token's text as stored in the file: GPT-2's byte-to-unicode form ({@code "Ġthe"}). */
    public String tokenText(int id) {
        ensureOpen();
        checkToken(id);
        return withEngine(e -> e.tokenText(id));
    }

    /** The raw bytes the token stands for ({@code " the"}); control tokens give their text. */
    public byte[] tokenBytes(int id) {
        ensureOpen();
        checkToken(id);
        return withEngine(e -> e.tokenBytes(id));
    }

    /** The token's {@code tokenizer.ggml.token_type}. */
    public TokenType tokenType(int id) {
        ensureOpen();
        checkToken(id);
        return withEngine(e -> e.tokenType(id));
    }

    /** The BPE merges in rank order, each {@code "left right"} in byte-to-unicode form. Unmodifiable. */
    public List<String> merges() {
        ensureOpen();
        List<String> m = merges;
        if (m == null) {
            m = withEngine(ModelEngine::merges);
            merges = m;
        }
        return m;
    }

    /** The beginning-of-sequence token, or -1 if the file names none. */
    public int bosToken() {
        ensureOpen();
        return bos;
    }

    /** The end-of-sequence token, or -1 if the file names none. */
    public int eosToken() {
        ensureOpen();
        return eos;
    }

    // ---------------------------------------------------------------------------------------------
    // the model's matrices, for inspection
    // ---------------------------------------------------------------------------------------------

    /**
     * Rows {@code first .. first+n-1} of the token embedding matrix ({@code wte}), dequantized:
     * {@code [n][nEmbd]}. Read it in chunks to scan the whole vocabulary (nearest tokens).
     */
    public float[][] tokenEmbeddings(int first, int n) {
        ensureOpen();
        if (first < 0 || n < 0 || (long) first + n > nVocab) {
            throw new IllegalArgumentException("rows [" + first + ", " + first + " + " + n + ") are not within [0, " + nVocab + ")");
        }
        return withEngine(e -> e.tokenEmbeddings(first, n));
    }

    /**
     * Logits of hidden states: {@code lm_head(ln_f(h))} for each row, or {@code lm_head(h)} without
     * the final norm. On {@link Session#hidden} after each block this is the logit lens.
     *
     * @param hidden {@code [n][nEmbd]}, n >= 1
     * @return {@code [n][nVocab]}
     */
    public float[][] unembed(float[][] hidden, boolean applyFinalNorm) {
        ensureOpen();
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hidden has no rows");
        }
        for (float[] row : hidden) {
            if (row.length != nEmbd) {
                throw new IllegalArgumentException("hidden rows must have nEmbd = " + nEmbd + " values, one has " + row.length);
            }
        }
        int n = hidden.length;
        return withEngine(e -> e.unembed(hidden, applyFinalNorm));
    }

    /**
     * GPT-2's byte-level BPE tokenizer built from this model's own vocabulary and merges; control
     * tokens ({@code <|endoftext|>}) are its special tokens. Built once (about 0.15 s for GPT-2's
     * 50,257 tokens), then shared: the tokenizer is immutable and thread-safe, and stays usable
     * after the model is closed.
     */
    public Gpt2Tokenizer tokenizer() {
        ensureOpen();
        Gpt2Tokenizer t = tokenizer;
        if (t == null) {
            List<String> tokens = new ArrayList<>(nVocab);
            Map<String, Integer> special = new HashMap<>();
            for (int id = 0; id < nVocab; id++) {
                tokens.add(tokenText(id));
                if (tokenType(id) == TokenType.CONTROL) {
                    special.put(tokens.get(id), id);
                }
            }
            t = Gpt2Tokenizer.fromVocab(tokens, merges(), special);
            tokenizer = t;
        }
        return t;
    }

    @Override
    public String toString() {
        return "Gpt2Model[" + path + (closed ? ", closed" : ", " + nLayer + " layers, " + nEmbd + " embd, "
                + nHead + " heads, vocab " + nVocab + ", ctx " + nCtxTrain + ", " + backendName) + "]";
    }
}
