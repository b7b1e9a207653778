package dev.gpt2java.gguf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid LoRA adapter GGUF for a GPT-2 of a given shape, by the rules libgpt2's adapter loader
 * (native/src/adapter.cpp) applies too, with the same messages: {@code general.type} "adapter",
 * {@code adapter.type} "lora", {@code general.architecture} "gpt2", {@code adapter.lora.alpha} (optional
 * f32, finite, >= 0), and only pairs {@code <matrix>.lora_a} (ggml [in, rank]) and {@code <matrix>.lora_b}
 * ([rank, out]) in F32, F16 or BF16 for the attn_qkv, attn_output, ffn_up and ffn_down matrices of the
 * model's blocks, each complete, its two ranks equal and in [1, min(in, out)] (gpt2.h, "LoRA adapters").
 * Made by {@link #of}, which refuses a file with {@link GgufFormatException} naming it and the fault.
 */
public final class LoraGguf {

    /** The block matrices an adapter may adapt, in gpt2.h's order. */
    public enum Target {
        ATTN_QKV("attn_qkv"), ATTN_OUTPUT("attn_output"), FFN_UP("ffn_up"), FFN_DOWN("ffn_down");

        private final String tensor;

        Target(String tensor) {
            this.tensor = tensor;
        }

        /** The model tensor it adapts in block {@code layer}: {@code blk.N.attn_qkv.weight}, ... */
        public String tensorName(int layer) {
            return "blk." + layer + "." + tensor + ".weight";
        }
    }

    /** One adapted matrix: its A (rank rows of in) and B (out rows of rank). */
    public record Pair(int layer, Target target, GgufFile.TensorInfo a, GgufFile.TensorInfo b) {
        /** The rank: A's ne1, B's ne0. */
        public int rank() {
            return (int) b.ne(0);
        }

        /** The matrix's input width (A's ne0). */
        public int in() {
            return (int) a.ne(0);
        }

        /** The matrix's output width (B's ne1). */
        public int out() {
            return (int) b.ne(1);
        }
    }

    private final GgufFile file;
    private final String name;
    private final float alpha;
    private final List<Pair> pairs;
    private final int rank;

    private record Shape(int layer, Target target, long in, long out) {
    }

    private LoraGguf(GgufFile g, int nLayer, int nEmbd, int nFf) {
        this.file = g;
        String arch = Gpt2Gguf.string(g, "general.architecture", true);
        String type = Gpt2Gguf.string(g, "general.type", true);
        if (!"adapter".equals(type)) {
            throw g.bad("general.type is " + GgufText.quote(type)
                    + ", expected \"adapter\" (a model file is loaded with gpt2_model_load)");
        }
        String adapterType = Gpt2Gguf.string(g, "adapter.type", true);
        if (!"lora".equals(adapterType)) {
            throw g.bad("adapter.type is " + GgufText.quote(adapterType) + ", expected \"lora\"");
        }
        if (!"gpt2".equals(arch)) {
            throw g.bad("general.architecture is " + GgufText.quote(arch) + ", expected \"gpt2\"");
        }
        String n = Gpt2Gguf.string(g, "general.name", false);
        this.name = n == null ? "" : n;
        String alphaKey = "adapter.lora.alpha";
        int alphaType = g.valueType(alphaKey);
        float a = 0f;
        if (alphaType >= 0) {
            if (alphaType != GgufFile.T_FLOAT32) {
                throw g.bad("key " + alphaKey + " has type " + GgufFile.typeName(alphaType) + ", expected f32");
            }
            a = (Float) g.metadata().get(alphaKey);
            if (!Float.isFinite(a) || a < 0) {
                throw g.bad("key " + alphaKey + " = " + a + " is not a finite number >= 0");
            }
        }
        this.alpha = a;

        Map<String, Shape> shapes = new HashMap<>();
        for (int il = 0; il < nLayer; il++) {
            long e = nEmbd, f = nFf;
            shapes.put(Target.ATTN_QKV.tensorName(il), new Shape(il, Target.ATTN_QKV, e, 3 * e));
            shapes.put(Target.ATTN_OUTPUT.tensorName(il), new Shape(il, Target.ATTN_OUTPUT, e, e));
            shapes.put(Target.FFN_UP.tensorName(il), new Shape(il, Target.FFN_UP, e, f));
            shapes.put(Target.FFN_DOWN.tensorName(il), new Shape(il, Target.FFN_DOWN, f, e));
        }
        Map<String, GgufFile.TensorInfo[]> found = new HashMap<>();
        for (GgufFile.TensorInfo t : g.tensorList()) {
            String tn = t.name();
            boolean isA = tn.length() > 7 && tn.endsWith(".lora_a"), isB = tn.length() > 7 && tn.endsWith(".lora_b");
            if (!isA && !isB) {
                throw g.bad("tensor " + GgufText.quote(tn) + " is not a LoRA tensor (<matrix>.lora_a or <matrix>.lora_b)");
            }
            String base = tn.substring(0, tn.length() - 7);
            Shape s = shapes.get(base);
            if (s == null) {
                throw g.bad("tensor " + GgufText.quote(tn) + " adapts " + GgufText.quote(base) + ", which is not the "
                        + "attn_qkv, attn_output, ffn_up or ffn_down matrix of one of the model's " + nLayer + " blocks");
            }
            if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16 && t.type() != GgmlType.BF16) {
                throw g.bad("tensor " + tn + " has type " + t.type().ggmlName() + ", not f32, f16 or bf16");
            }
            long r = isA ? t.ne(1) : t.ne(0);
            boolean ok = (isA ? t.ne(0) == s.in : t.ne(1) == s.out) && t.ne(2) == 1 && t.ne(3) == 1 && r >= 1
                    && r <= Math.min(s.in, s.out);
            if (!ok) {
                throw g.bad("tensor " + tn + " has shape [" + t.ne(0) + ", " + t.ne(1) + ", " + t.ne(2) + ", " + t.ne(3)
                        + "], expected " + (isA ? "[" + s.in + ", rank]" : "[rank, " + s.out + "]")
                        + " with a rank in [1, " + Math.min(s.in, s.out) + "]");
            }
            found.computeIfAbsent(base, k -> new GgufFile.TensorInfo[2])[isA ? 0 : 1] = t;
        }
        List<Pair> ps = new ArrayList<>();
        int maxRank = 0;
        for (int il = 0; il < nLayer; il++) {
            for (Target target : Target.values()) {
                String base = target.tensorName(il);
                GgufFile.TensorInfo[] ab = found.get(base);
                if (ab == null) {
                    continue;
                }
                if (ab[0] == null || ab[1] == null) {
                    String missing = ab[0] == null ? ".lora_a" : ".lora_b", present = ab[0] == null ? ".lora_b" : ".lora_a";
                    throw g.bad("tensor " + base + missing + " is missing (" + base + present + " has no pair)");
                }
                if (ab[0].ne(1) != ab[1].ne(0)) {
                    throw g.bad("the ranks of " + base + ".lora_a (" + ab[0].ne(1) + ") and .lora_b (" + ab[1].ne(0)
                            + ") differ");
                }
                Pair p = new Pair(il, target, ab[0], ab[1]);
                ps.add(p);
                maxRank = Math.max(maxRank, p.rank());
            }
        }
        if (ps.isEmpty()) {
            throw g.bad("no LoRA tensors: the adapter adapts nothing");
        }
        this.pairs = Collections.unmodifiableList(ps);
        this.rank = maxRank;
    }

    /**
     * {@code g} as a LoRA adapter of a GPT-2 of {@code nLayer} blocks, width {@code nEmbd} and MLP width
     * {@code nFf}.
     *
     * @throws GgufFormatException if it breaks a rule (the message names the file, the rule and the key or tensor)
     */
    public static LoraGguf of(GgufFile g, int nLayer, int nEmbd, int nFf) {
        return new LoraGguf(g, nLayer, nEmbd, nFf);
    }

    public GgufFile file() {
        return file;
    }

    /** {@code general.name}, or "". */
    public String name() {
        return name;
    }

    /** {@code adapter.lora.alpha}, or 0 when the file has none. */
    public float alpha() {
        return alpha;
    }

    /** The largest rank of its pairs. */
    public int rank() {
        return rank;
    }

    /** The adapted matrices, by block then in {@link Target} order (unmodifiable). */
    public List<Pair> pairs() {
        return pairs;
    }

    /**
     * The factor of B A in a session that gives an adapter of {@code alpha} (0: the file has none) {@code userScale},
     * on a pair of {@code rank}: llama.cpp's rule, {@code userScale * alpha / rank}, or {@code userScale} without alpha.
     */
    public static float scale(float alpha, int rank, float userScale) {
        return alpha != 0f ? userScale * alpha / rank : userScale;
    }
}
