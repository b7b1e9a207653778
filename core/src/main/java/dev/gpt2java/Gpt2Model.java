package dev.gpt2java;

import dev.gpt2java.internal.Lifetime;
import dev.gpt2java.spi.ModelEngine;

import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** Uses run inside it; close waits for them, and the engine is freed once the last session is closed too. */
    private final Lifetime lifetime;
    private final ModelInfo info;

    /** Loaded with the model from {@link ModelParams#adapters()}; set once, in {@link #load}. */
    private volatile Map<LoraAdapter, Float> defaultAdapters = Map.of();

    private volatile List<String> merges;
    private volatile Gpt2Tokenizer tokenizer;

    private Gpt2Model(Path path, ModelParams params, ModelEngine engine) {
        this.path = path;
        this.params = params;
        this.engine = engine;
        this.info = engine.info();
        this.lifetime = new Lifetime("Gpt2Model " + path, engine::close);
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
        Gpt2Model m = new Gpt2Model(path, params, Engines.load(path, params));
        Map<LoraAdapter, Float> adapters = new LinkedHashMap<>();
        try {
            for (ModelParams.Adapter a : params.adapters()) {
                adapters.put(m.loadAdapter(a.path()), a.scale());
            }
        } catch (RuntimeException | Error x) {
            adapters.keySet().forEach(LoraAdapter::close);
            m.close();
            throw x;
        }
        m.defaultAdapters = Collections.unmodifiableMap(adapters);
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // lifetime
    // ---------------------------------------------------------------------------------------------

    /** Frees the model (its weights go once its sessions are closed too); waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        defaultAdapters.keySet().forEach(LoraAdapter::close);
        lifetime.close();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return lifetime.isClosed();
    }

    private void ensureOpen() {
        lifetime.ensureOpen();
    }

    /** Runs {@code f} on the engine, which stays open meanwhile. */
    private <T> T withEngine(Function<ModelEngine, T> f) {
        return lifetime.call(() -> f.apply(engine));
    }

    /** A session's hold on the engine: it stays until the session lets it go, even if the model is closed. */
    Lifetime lifetime() {
        return lifetime;
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
        return withEngine(e -> {
            lifetime.retain();
            Session s;
            try {
                s = new Session(this, e.newSession(params));
            } catch (RuntimeException | Error x) {
                lifetime.release();
                throw x;
            }
            if (!defaultAdapters.isEmpty()) {
                try {
                    s.setAdapters(defaultAdapters);
                } catch (RuntimeException | Error x) {
                    s.close();
                    throw x;
                }
            }
            return s;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // LoRA adapters
    // ---------------------------------------------------------------------------------------------

    /**
     * Loads a LoRA adapter file made for this model's shape (what {@code gpt2 finetune --lora-rank} writes;
     * llama.cpp's layout), for sessions to apply ({@link Session#setAdapter}). The adapter keeps the model's
     * weights alive until it is closed.
     *
     * @throws Gpt2Exception if the file cannot be read, is not a LoRA adapter for a GPT-2, or does not fit this
     *                       model (a matrix it adapts has another shape); the message names the file and the fault
     */
    public LoraAdapter loadAdapter(Path path) {
        Objects.requireNonNull(path, "path");
        return withEngine(e -> {
            lifetime.retain();
            try {
                return new LoraAdapter(this, path, e.loadAdapter(path));
            } catch (RuntimeException | Error x) {
                lifetime.release();
                throw x;
            }
        });
    }

    /** The adapters {@link ModelParams#adapters()} named, loaded with the model: every new session applies them. */
    public Map<LoraAdapter, Float> defaultAdapters() {
        ensureOpen();
        return defaultAdapters;
    }

    // ---------------------------------------------------------------------------------------------
    // hyper-parameters
    // ---------------------------------------------------------------------------------------------

    /** The file the model was loaded from. */
    public Path path() {
        return path;
    }

    /** What the model is: its shape, weight type, size, special tokens and backend. */
    public ModelInfo info() {
        ensureOpen();
        return info;
    }

    /** The parameters the model was loaded with. */
    public ModelParams params() {
        ensureOpen();
        return params;
    }

    /** Vocabulary size; token ids are {@code 0 .. nVocab()-1}. */
    public int nVocab() {
        ensureOpen();
        return info.shape().nVocab();
    }

    /** Learned positions: a sequence holds at most this many tokens. */
    public int nCtxTrain() {
        ensureOpen();
        return info.shape().nCtx();
    }

    public int nEmbd() {
        ensureOpen();
        return info.shape().nEmbd();
    }

    public int nHead() {
        ensureOpen();
        return info.shape().nHead();
    }

    public int nLayer() {
        ensureOpen();
        return info.shape().nLayer();
    }

    /** Width of the feed-forward layer (4 * nEmbd for GPT-2). */
    public int nFf() {
        ensureOpen();
        return info.shape().nFf();
    }

    /** LayerNorm epsilon (1e-5 for GPT-2). */
    public float normEps() {
        ensureOpen();
        return info.shape().normEps();
    }

    /** Type of the weight matrices (of {@code blk.0.attn_qkv.weight}). */
    public TensorType weightType() {
        ensureOpen();
        if (info.weightType() == null) {
            throw new IllegalArgumentException("the weight type of " + path + " is not one of gpt2.h's enum gpt2_type");
        }
        return info.weightType();
    }

    /** Whether the output matrix is the token embeddings (no {@code output.weight}). */
    public boolean outputTied() {
        ensureOpen();
        return info.outputTied();
    }

    /** Number of parameters. */
    public long nParams() {
        ensureOpen();
        return info.nParams();
    }

    /** Bytes of all weight tensors. */
    public long sizeBytes() {
        ensureOpen();
        return info.sizeBytes();
    }

    /** The backend the model runs on ({@code "CPU"}, {@code "CUDA0"}, ...). */
    public String backendName() {
        ensureOpen();
        return info.backendName();
    }

    /** {@code general.name} of the file, or "" if absent. */
    public String name() {
        ensureOpen();
        return info.name();
    }

    // ---------------------------------------------------------------------------------------------
    // vocabulary
    // ---------------------------------------------------------------------------------------------

    private void checkToken(int id) {
        int nVocab = info.shape().nVocab();
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
        return info.bosToken();
    }

    /** The end-of-sequence token, or -1 if the file names none. */
    public int eosToken() {
        ensureOpen();
        return info.eosToken();
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
        int nVocab = info.shape().nVocab();
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
        int nEmbd = info.shape().nEmbd();
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
     *
     * @throws Gpt2Exception ({@link Status#FORMAT}, naming the file) if the file's vocabulary is not one
     *                       of a byte-level BPE (a token twice, a byte without its token, a merge of
     *                       unknown tokens)
     */
    public Gpt2Tokenizer tokenizer() {
        ensureOpen();
        Gpt2Tokenizer t = tokenizer;
        if (t == null) {
            int nVocab = info.shape().nVocab();
            List<String> tokens = new ArrayList<>(nVocab);
            Map<String, Integer> special = new HashMap<>();
            for (int id = 0; id < nVocab; id++) {
                tokens.add(tokenText(id));
                if (tokenType(id) == TokenType.CONTROL) {
                    special.put(tokens.get(id), id);
                }
            }
            try {
                t = Gpt2Tokenizer.fromVocab(tokens, merges(), special);
            } catch (IllegalArgumentException e) {
                throw Gpt2Exception.forFile(Status.FORMAT, "the vocabulary makes no tokenizer: " + e.getMessage(), path);
            }
            tokenizer = t;
        }
        return t;
    }

    @Override
    public String toString() {
        ModelShape s = info.shape();
        return "Gpt2Model[" + path + (isClosed() ? ", closed" : ", " + s.nLayer() + " layers, " + s.nEmbd() + " embd, "
                + s.nHead() + " heads, vocab " + s.nVocab() + ", ctx " + s.nCtx() + ", " + info.backendName()) + "]";
    }
}
