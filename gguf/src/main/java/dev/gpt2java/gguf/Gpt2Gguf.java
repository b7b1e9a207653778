package dev.gpt2java.gguf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid GPT-2 GGUF: a {@link GgufFile} that holds what a GPT-2 is, by the rules of docs/GGUF.md
 * ("What a valid GPT-2 GGUF is"), which libgpt2's loader (native/src/model-load.cpp) applies too:
 * the same file is valid for both engines or for neither. Made by {@link #of}, which checks every rule
 * and refuses a file with {@link GgufFormatException} naming it and the fault.
 *
 * <p>Validity is not support: a matrix may be in any float or quantized type ggml knows; whether an
 * engine computes with that type is the engine's question ({@link #matrices()}).
 */
public final class Gpt2Gguf {

    /** Sanity limits of what a file may claim (gpt2-arch.h's GPT2_MAX_*). */
    public static final int MAX_VOCAB = 1 << 20, MAX_CTX = 1 << 16, MAX_EMBD = 1 << 15, MAX_LAYER = 1024,
            MAX_HEAD = 1024, MAX_FF = 4 * MAX_EMBD;

    /** llama.cpp's token types ({@code llama_token_type}): UNDEFINED (0) .. BYTE (6). */
    public static final int TOKEN_TYPE_MIN = 0, TOKEN_TYPE_MAX = 6;

    /** The token type of every token when the file has no {@code tokenizer.ggml.token_type} (NORMAL). */
    public static final int NORMAL = 1;

    private final GgufFile file;
    private final String name;
    private final int nVocab, nCtx, nEmbd, nHead, nLayer, nFf;
    private final float normEps;
    private final String[] tokens;
    private final int[] tokenTypes;
    private final List<String> merges;
    private final int bos, eos;
    private final Map<String, GgufFile.TensorInfo> tensors;
    private final List<GgufFile.TensorInfo> matrices;

    /** What one tensor of a GPT-2 must be: ne0, ne1 (0 for a vector), whether the file must have it. */
    private record Spec(long ne0, long ne1, boolean required) {
    }

    private Gpt2Gguf(GgufFile g) {
        this.file = g;
        // the architecture
        String arch = string("general.architecture", true);
        if (!"gpt2".equals(arch)) {
            throw g.bad("general.architecture is " + GgufText.quote(arch) + ", expected \"gpt2\"");
        }
        String n = string("general.name", false);
        this.name = n == null ? "" : n;

        // hyper-parameters
        nCtx = (int) integer("gpt2.context_length", 1, MAX_CTX, true);
        nEmbd = (int) integer("gpt2.embedding_length", 1, MAX_EMBD, true);
        nHead = (int) integer("gpt2.attention.head_count", 1, MAX_HEAD, true);
        nLayer = (int) integer("gpt2.block_count", 1, MAX_LAYER, true);
        nFf = (int) integer("gpt2.feed_forward_length", 1, MAX_FF, true);
        if (nEmbd % nHead != 0) {
            throw g.bad("embedding_length " + nEmbd + " is not a multiple of head_count " + nHead);
        }
        String epsKey = "gpt2.attention.layer_norm_epsilon";
        if (g.valueType(epsKey) < 0) {
            throw g.bad("missing key " + epsKey);
        }
        if (g.valueType(epsKey) != GgufFile.T_FLOAT32) {
            throw g.bad("key " + epsKey + " has type " + GgufFile.typeName(g.valueType(epsKey)) + ", expected f32");
        }
        normEps = (Float) g.metadata().get(epsKey);
        if (!(normEps > 0 && normEps < 1)) {   // NaN and infinities too
            throw g.bad("key " + epsKey + " = " + normEps + " is not in (0, 1)");
        }

        // the vocabulary
        String[] toks = strings("tokenizer.ggml.tokens", true);
        if (toks.length < 1 || toks.length > MAX_VOCAB) {
            throw g.bad("key tokenizer.ggml.tokens holds " + toks.length + " tokens, not in [1, " + MAX_VOCAB + "]");
        }
        tokens = toks;
        nVocab = toks.length;
        integer("gpt2.vocab_size", nVocab, nVocab, false);
        String typesKey = "tokenizer.ggml.token_type";
        if (array(typesKey, GgufFile.T_INT32, false)) {
            int[] types = (int[]) g.metadata().get(typesKey);
            if (types.length != nVocab) {
                throw g.bad("key " + typesKey + " holds " + types.length + " values for " + nVocab + " tokens");
            }
            for (int i = 0; i < types.length; i++) {
                if (types[i] < TOKEN_TYPE_MIN || types[i] > TOKEN_TYPE_MAX) {
                    throw g.bad("key " + typesKey + "[" + i + "] = " + types[i] + " is not a token type (0..6)");
                }
            }
            tokenTypes = types.clone();
        } else {
            tokenTypes = new int[nVocab];
            Arrays.fill(tokenTypes, NORMAL);
        }
        String[] ms = strings("tokenizer.ggml.merges", false);
        merges = ms == null ? List.of() : Collections.unmodifiableList(Arrays.asList(ms));
        bos = (int) integer("tokenizer.ggml.bos_token_id", 0, nVocab - 1, false);
        eos = (int) integer("tokenizer.ggml.eos_token_id", 0, nVocab - 1, false);

        // the tensors: exactly a GPT-2's, each of its shape, a vector in F32, a matrix in a float or
        // quantized type (GgufFile checked that their bytes lie within the file)
        Map<String, Spec> specs = specs();
        Map<String, GgufFile.TensorInfo> ts = new LinkedHashMap<>();
        List<GgufFile.TensorInfo> mats = new ArrayList<>();
        for (GgufFile.TensorInfo t : g.tensorList()) {
            Spec s = specs.get(t.name());
            if (s == null) {
                throw g.bad("tensor " + GgufText.quote(t.name()) + " is not one of a GPT-2 of " + nLayer + " blocks");
            }
            long ne1 = s.ne1 > 0 ? s.ne1 : 1;
            if (t.ne(0) != s.ne0 || t.ne(1) != ne1 || t.ne(2) != 1 || t.ne(3) != 1) {
                throw g.bad("tensor " + t.name() + " has shape [" + t.ne(0) + ", " + t.ne(1) + ", " + t.ne(2) + ", "
                        + t.ne(3) + "], expected [" + s.ne0 + ", " + ne1 + "]");
            }
            boolean matrix = s.ne1 > 0;
            if (matrix ? t.type().isInteger() : t.type() != GgmlType.F32) {
                throw g.bad("tensor " + t.name() + " has type " + t.type().ggmlName() + ", not "
                        + (matrix ? "a float or quantized type (a matrix)" : "f32 (a vector)"));
            }
            ts.put(t.name(), t);
            if (matrix) {
                mats.add(t);
            }
        }
        for (Map.Entry<String, Spec> e : specs.entrySet()) {
            if (e.getValue().required && !ts.containsKey(e.getKey())) {
                throw g.bad("missing tensor " + e.getKey());
            }
        }
        tensors = Collections.unmodifiableMap(ts);
        matrices = Collections.unmodifiableList(mats);
    }

    /**
     * {@code g} as a GPT-2.
     *
     * @throws GgufFormatException if it breaks a rule of a valid GPT-2 GGUF (the message names the file,
     *                             the rule and the key or tensor)
     */
    public static Gpt2Gguf of(GgufFile g) {
        return new Gpt2Gguf(g);
    }

    /** The tensors of a GPT-2 of these hyper-parameters (gpt2-arch.h), by name. */
    private Map<String, Spec> specs() {
        long e = nEmbd, f = nFf;
        Map<String, Spec> s = new HashMap<>();
        s.put("token_embd.weight", new Spec(e, nVocab, true));
        s.put("position_embd.weight", new Spec(e, nCtx, true));
        s.put("output_norm.weight", new Spec(e, 0, true));
        s.put("output_norm.bias", new Spec(e, 0, true));
        s.put("output.weight", new Spec(e, nVocab, false));
        for (int il = 0; il < nLayer; il++) {
            String p = "blk." + il + ".";
            s.put(p + "attn_norm.weight", new Spec(e, 0, true));
            s.put(p + "attn_norm.bias", new Spec(e, 0, true));
            s.put(p + "attn_qkv.weight", new Spec(e, 3 * e, true));
            s.put(p + "attn_qkv.bias", new Spec(3 * e, 0, true));
            s.put(p + "attn_output.weight", new Spec(e, e, true));
            s.put(p + "attn_output.bias", new Spec(e, 0, true));
            s.put(p + "ffn_norm.weight", new Spec(e, 0, true));
            s.put(p + "ffn_norm.bias", new Spec(e, 0, true));
            s.put(p + "ffn_up.weight", new Spec(e, f, true));
            s.put(p + "ffn_up.bias", new Spec(f, 0, true));
            s.put(p + "ffn_down.weight", new Spec(f, e, true));
            s.put(p + "ffn_down.bias", new Spec(e, 0, true));
        }
        return s;
    }

    // ---- reading keys by the rules ----

    /** A string key as ggml hands it out (before its first NUL); null if absent and not required. */
    private String string(String key, boolean required) {
        return string(file, key, required);
    }

    /** {@link #string(String, boolean)} of any file (the adapters' rules read keys alike: {@link LoraGguf}). */
    static String string(GgufFile file, String key, boolean required) {
        if (!present(file, key, required)) {
            return null;
        }
        requireType(file, key, GgufFile.T_STRING, "a string");
        return GgufFile.cString((String) file.metadata().get(key));
    }

    /** Whether {@code key} is there; a required key that is not is an error. */
    private static boolean present(GgufFile file, String key, boolean required) {
        if (file.valueType(key) >= 0) {
            return true;
        }
        if (required) {
            throw file.bad("missing key " + key);
        }
        return false;
    }

    /** Refuses a key of another type than {@code type} ({@code what}: "a string", "an array"). */
    private static void requireType(GgufFile file, String key, int type, String what) {
        if (file.valueType(key) != type) {
            throw file.bad("key " + key + " has type " + GgufFile.typeName(file.valueType(key)) + ", expected " + what);
        }
    }

    /** An integer key of any integer GGUF type within [lo, hi]; -1 if absent and not required. */
    private long integer(String key, long lo, long hi, boolean required) {
        if (!present(file, key, required)) {
            return -1;
        }
        int type = file.valueType(key);
        long v = switch (type) {
            case GgufFile.T_UINT8, GgufFile.T_INT8, GgufFile.T_UINT16, GgufFile.T_INT16, GgufFile.T_UINT32,
                 GgufFile.T_INT32, GgufFile.T_INT64 -> ((Number) file.metadata().get(key)).longValue();
            case GgufFile.T_UINT64 -> {
                long u = (Long) file.metadata().get(key);
                yield u < 0 ? Long.MAX_VALUE : u;   // beyond INT64_MAX: out of every range
            }
            default -> throw file.bad("key " + key + " has type " + GgufFile.typeName(type) + ", expected an integer");
        };
        if (v < lo || v > hi) {
            throw file.bad("key " + key + " = " + v + " is out of range [" + lo + ", " + hi + "]");
        }
        return v;
    }

    /** Whether array {@code key} is there; refuses one of another type or element type. */
    private boolean array(String key, int elementType, boolean required) {
        if (!present(file, key, required)) {
            return false;
        }
        requireType(file, key, GgufFile.T_ARRAY, "an array");
        if (file.elementType(key) != elementType) {
            throw file.bad("key " + key + " is an array of " + GgufFile.typeName(file.elementType(key)) + ", expected "
                    + GgufFile.typeName(elementType));
        }
        return true;
    }

    /** A string array as ggml hands its elements out (each before its first NUL), well-formed UTF-8. */
    private String[] strings(String key, boolean required) {
        if (!array(key, GgufFile.T_STRING, required)) {
            return null;
        }
        String[] a = ((String[]) file.metadata().get(key)).clone();
        int bad = file.firstInvalidUtf8(key);
        if (bad >= 0) {
            throw file.bad("key " + key + "[" + bad + "] " + GgufText.quote(GgufFile.cString(a[bad])) + " is not valid UTF-8");
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = GgufFile.cString(a[i]);
        }
        return a;
    }

    // ---- what the file is ----

    public GgufFile file() {
        return file;
    }

    /** {@code general.name}, or "" if absent. */
    public String name() {
        return name;
    }

    /** Tokens in the vocabulary: the length of {@code tokenizer.ggml.tokens}. */
    public int nVocab() {
        return nVocab;
    }

    public int nCtx() {
        return nCtx;
    }

    public int nEmbd() {
        return nEmbd;
    }

    public int nHead() {
        return nHead;
    }

    public int nLayer() {
        return nLayer;
    }

    public int nFf() {
        return nFf;
    }

    public float normEps() {
        return normEps;
    }

    /** The tokens in id order, as ggml hands them out (a copy). */
    public String[] tokens() {
        return tokens.clone();
    }

    /** Token {@code id}. */
    public String token(int id) {
        return tokens[id];
    }

    /** The token type of {@code id} (0..6; {@link #NORMAL} when the file has none). */
    public int tokenType(int id) {
        return tokenTypes[id];
    }

    /** The merges in rank order (unmodifiable; empty when the file has none). */
    public List<String> merges() {
        return merges;
    }

    /** {@code tokenizer.ggml.bos_token_id}, or -1. */
    public int bosToken() {
        return bos;
    }

    /** {@code tokenizer.ggml.eos_token_id}, or -1. */
    public int eosToken() {
        return eos;
    }

    /** Whether the output matrix is the token embedding (no {@code output.weight}). */
    public boolean outputTied() {
        return !tensors.containsKey("output.weight");
    }

    /** The tensor named {@code name}; null for the absent {@code output.weight} of a tied model. */
    public GgufFile.TensorInfo tensor(String name) {
        return tensors.get(name);
    }

    /** The matrices (2-D weights), in file order: what an engine must compute with. */
    public List<GgufFile.TensorInfo> matrices() {
        return matrices;
    }

    /** The type of the weight matrices (of {@code blk.0.attn_qkv.weight}). */
    public GgmlType weightType() {
        return tensors.get("blk.0.attn_qkv.weight").type();
    }
}
