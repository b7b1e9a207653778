package dev.gpt2java.jvm;

import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.Gpt2Gguf;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A GPT-2 model from a GGUF file in llama.cpp's layout ({@code gpt2.*} keys, {@code blk.N.*} tensors),
 * computed in pure Java. The file must be a valid GPT-2 GGUF by the rules both engines share
 * ({@link Gpt2Gguf}). The 2-D weights (F32, F16, Q8_0 or Q4_0) stay in the memory-mapped file;
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

    /** The matrix types the kernels compute with ({@link WeightMatrix#of}). */
    static final Set<GgmlType> COMPUTED = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0);

    private final GgufFile gguf;
    private final Gpt2Gguf gpt2;
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
        // a valid GPT-2 GGUF (the rules both engines apply), then one this engine computes
        Gpt2Gguf m = Gpt2Gguf.of(g);
        this.gpt2 = m;
        for (GgufFile.TensorInfo t : m.matrices()) {
            if (!COMPUTED.contains(t.type())) {
                throw new UnsupportedWeightTypeException(g.path() + ": tensor " + t.name() + " has type "
                        + t.type().ggmlName() + ", which the Java engine does not compute (f32, f16, q8_0 and q4_0;"
                        + " use Engine.NATIVE)");
            }
        }
        ModelShape h = new ModelShape(m.nVocab(), m.nCtx(), m.nEmbd(), m.nHead(), m.nLayer(), m.nFf(), m.normEps());
        this.hp = h;
        int e = h.nEmbd(), f = h.nFf(), v = h.nVocab();
        // weights
        tokenEmbd = matrix("token_embd.weight", e, v);
        posEmbd = matrix("position_embd.weight", e, h.nCtx());
        weightType = m.tensor("token_embd.weight").type();
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
        tied = m.outputTied();
        output = tied ? tokenEmbd : matrix("output.weight", e, v);
    }

    /**
     * Loads {@code path}.
     *
     * @throws dev.gpt2java.gguf.GgufFormatException if the file is not a valid GPT-2 GGUF
     *                                       ({@link Gpt2Gguf}; the message names the file)
     * @throws UnsupportedWeightTypeException if it is, with matrices in a type this engine does not compute
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

    /** The file as a GPT-2 (vocabulary, special tokens), validated. */
    public Gpt2Gguf gpt2() {
        return gpt2;
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

    private WeightMatrix matrix(String name, int cols, int rows) {
        return WeightMatrix.of(gpt2.tensor(name).type(), gguf.data(gpt2.tensor(name)), rows, cols);
    }

    private float[] vec(String name, int n) {
        float[] out = new float[n];
        WeightMatrix.of(GgmlType.F32, gguf.data(gpt2.tensor(name)), 1, n).row(0, out, 0);
        return out;
    }
}
