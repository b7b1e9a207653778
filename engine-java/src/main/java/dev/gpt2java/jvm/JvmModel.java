package dev.gpt2java.jvm;

import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgufFile;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A GPT-2 model from a GGUF file in llama.cpp's layout ({@code gpt2.*} keys, {@code blk.N.*} tensors),
 * computed in pure Java. The 2-D weights (F32, F16, Q8_0 or Q4_0) stay in the memory-mapped file;
 * norms and biases (small) are copied to the heap as F32. The output matrix is {@code output.weight},
 * or {@code token_embd.weight} when the file has none (tied).
 *
 * <p>Thread-safe once loaded (read-only); {@link #close()} unmaps the file, after which its sessions
 * fail with {@link IllegalStateException}.
 */
public final class JvmModel implements AutoCloseable {

    /** One transformer block: weights [in -> out] as rows of length in. */
    record Layer(float[] ln1W, float[] ln1B,
                 WeightMatrix qkvW, float[] qkvB,          // [3E rows of E]
                 WeightMatrix attnOutW, float[] attnOutB,  // [E rows of E]
                 float[] ln2W, float[] ln2B,
                 WeightMatrix upW, float[] upB,            // [F rows of E]
                 WeightMatrix downW, float[] downB) {      // [E rows of F]
    }

    private final GgufFile gguf;
    private final ModelShape hp;
    private final GgmlType weightType;
    final WeightMatrix tokenEmbd;   // [V rows of E]
    final WeightMatrix posEmbd;     // [nCtxTrain rows of E]
    final Layer[] layers;
    final float[] lnFW;
    final float[] lnFB;
    final WeightMatrix output;      // [V rows of E]
    private final boolean tied;

    private JvmModel(GgufFile g) {
        this.gguf = g;
        // architecture and hyper-parameters
        String arch = g.getString("general.architecture");
        if (!"gpt2".equals(arch)) {
            throw g.bad("general.architecture is " + arch + ", not gpt2");
        }
        GgufFile.TensorInfo te = tensor("token_embd.weight");
        ModelShape h;
        try {
            h = new ModelShape((int) Math.min(Integer.MAX_VALUE, te.ne(1)), u32("gpt2.context_length"),
                    u32("gpt2.embedding_length"), u32("gpt2.attention.head_count"), u32("gpt2.block_count"),
                    u32("gpt2.feed_forward_length"), g.getFloat("gpt2.attention.layer_norm_epsilon"));
        } catch (IllegalArgumentException e) {
            throw g.bad(e.getMessage());
        }
        if (h.nLayer() > 1024 || h.nEmbd() > (1 << 15) || h.nCtx() > (1 << 16) || h.nVocab() > (1 << 20)) {
            throw g.bad("hyper-parameters beyond sanity limits: " + h);
        }
        if (g.metadata().containsKey("gpt2.vocab_size") && g.getLong("gpt2.vocab_size") != h.nVocab()) {
            throw g.bad("gpt2.vocab_size " + g.getLong("gpt2.vocab_size") + " != token_embd rows " + h.nVocab());
        }
        this.hp = h;
        int e = h.nEmbd(), f = h.nFf(), v = h.nVocab();
        // weights
        tokenEmbd = matrix("token_embd.weight", e, v);
        posEmbd = matrix("position_embd.weight", e, h.nCtx());
        weightType = tensor("token_embd.weight").type();
        layers = new Layer[h.nLayer()];
        for (int il = 0; il < h.nLayer(); il++) {
            String p = "blk." + il + ".";
            layers[il] = new Layer(
                    vec(p + "attn_norm.weight", e), vec(p + "attn_norm.bias", e),
                    matrix(p + "attn_qkv.weight", e, 3 * e), vec(p + "attn_qkv.bias", 3 * e),
                    matrix(p + "attn_output.weight", e, e), vec(p + "attn_output.bias", e),
                    vec(p + "ffn_norm.weight", e), vec(p + "ffn_norm.bias", e),
                    matrix(p + "ffn_up.weight", e, f), vec(p + "ffn_up.bias", f),
                    matrix(p + "ffn_down.weight", f, e), vec(p + "ffn_down.bias", e));
        }
        lnFW = vec("output_norm.weight", e);
        lnFB = vec("output_norm.bias", e);
        tied = !g.tensors().containsKey("output.weight");
        output = tied ? tokenEmbd : matrix("output.weight", e, v);
    }

    /**
     * Loads {@code path}.
     *
     * @throws GgufFormatException           if the file is not a GGUF GPT-2 model this engine can run
     *                                       (the message names the file)
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public static JvmModel load(Path path) {
        Objects.requireNonNull(path, "path");
        GgufFile g = GgufFile.open(path);
        try {
            return new JvmModel(g);
        } catch (RuntimeException ex) {
            g.close();
            throw ex;
        }
    }

    /** A new session (own KV cache) with {@code options}. */
    public JvmSession newSession(JvmSession.Options options) {
        return new JvmSession(this, options);
    }

    /** A new session with {@link JvmSession.Options#defaults()}. */
    public JvmSession newSession() {
        return newSession(JvmSession.Options.defaults());
    }

    public ModelShape hparams() {
        return hp;
    }

    /** The type of the token embedding (the model's main weight type). */
    public GgmlType weightType() {
        return weightType;
    }

    /** Whether the output matrix is the token embedding. */
    public boolean outputTied() {
        return tied;
    }

    public Path path() {
        return gguf.path();
    }

    /** The parsed file (metadata, tensor infos). */
    public GgufFile gguf() {
        return gguf;
    }

    /** Row {@code id} of the token embedding ({@code wte}), dequantized into {@code dst[off .. off+nEmbd)}. */
    public void tokenEmbedding(int id, float[] dst, int off) {
        if (id < 0 || id >= hp.nVocab()) {
            throw new IllegalArgumentException("token id " + id + " out of range 0.." + (hp.nVocab() - 1));
        }
        tokenEmbd.row(id, dst, off);
    }

    /**
     * Logits of hidden states: {@code lm_head(ln_f(h))} per row, or {@code lm_head(h)} without the
     * final norm. {@code hidden} is [n][nEmbd]; returns [n][nVocab]. Computed on the calling thread.
     */
    public float[][] unembed(float[][] hidden, boolean applyFinalNorm) {
        final int e = hp.nEmbd(), v = hp.nVocab(), n = hidden.length;
        float[] x = new float[n * e];
        for (int i = 0; i < n; i++) {
            if (hidden[i].length != e) {
                throw new IllegalArgumentException("hidden rows must have nEmbd = " + e + " values");
            }
            System.arraycopy(hidden[i], 0, x, i * e, e);
        }
        float[] in = x;
        if (applyFinalNorm) {
            in = new float[n * e];
            Kernels.layerNorm(x, in, n, e, lnFW, lnFB, hp.normEps());
        }
        float[] logits = new float[n * v];
        try (Parallel par = new Parallel(1)) {
            Kernels.matmul(par, Kernels.VECTOR_DEFAULT && WeightMatrix.vectorUsable(), output, null, in, e, n, logits, v);
        }
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(logits, i * v, (i + 1) * v);
        }
        return out;
    }

    @Override
    public void close() {
        gguf.close();
    }

    @Override
    public String toString() {
        return "JvmModel[" + gguf.path().getFileName() + ", " + weightType + ", " + hp + (tied ? ", tied" : "") + "]";
    }

    // ---- loading ----

    private int u32(String key) {
        long v = gguf.getLong(key);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw gguf.bad(key + " = " + v + " is out of range");
        }
        return (int) v;
    }

    private GgufFile.TensorInfo tensor(String name) {
        GgufFile.TensorInfo t = gguf.tensors().get(name);
        if (t == null) {
            throw gguf.bad("missing tensor " + name);
        }
        return t;
    }

    private GgufFile.TensorInfo shaped(String name, long... shape) {
        GgufFile.TensorInfo t = tensor(name);
        long[] s = t.shape();
        boolean ok = s.length >= shape.length;
        for (int i = 0; ok && i < Math.max(s.length, shape.length); i++) {
            ok = t.ne(i) == (i < shape.length ? shape[i] : 1);
        }
        if (!ok) {
            throw gguf.bad("tensor " + name + " has shape " + java.util.Arrays.toString(s) + ", expected "
                    + java.util.Arrays.toString(shape));
        }
        return t;
    }

    private WeightMatrix matrix(String name, int cols, int rows) {
        GgufFile.TensorInfo t = shaped(name, cols, rows);
        try {
            return WeightMatrix.of(t.type(), gguf.data(t), rows, cols);
        } catch (IllegalArgumentException ex) {
            throw gguf.bad("tensor " + name + ": " + ex.getMessage());
        }
    }

    private float[] vec(String name, int n) {
        GgufFile.TensorInfo t = shaped(name, n);
        float[] out = new float[n];
        try {
            WeightMatrix.of(t.type(), gguf.data(t), 1, n).row(0, out, 0);
        } catch (IllegalArgumentException ex) {
            throw gguf.bad("tensor " + name + ": " + ex.getMessage());
        }
        return out;
    }
}
