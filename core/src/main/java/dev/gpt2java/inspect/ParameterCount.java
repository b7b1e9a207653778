package dev.gpt2java.inspect;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The parameters of a GPT-2 counted the way a lecture counts them ("3 × 5 + 5 × 1 = 20 parameters, 26
 * with biases"): every tensor with its shape, the weight matrices as rows × columns, the biases and the
 * LayerNorms apart, a subtotal per group (the embeddings, each block, the output) and the total.
 *
 * <p>Shapes are PyTorch's ({@code p.shape} of Hugging Face's {@code GPT2LMHeadModel}: Conv1D weights
 * [in, out], embeddings [rows, n_embd]); the total is HF's {@code sum(p.numel() for p in
 * model.parameters())}, which counts a tied output matrix once. {@link #of(Gpt2Model)} checks it
 * against the tensors of the loaded file.
 *
 * <pre>{@code
 * ParameterCount c = ParameterCount.of(model);
 * c.groups().get(1).arithmetic(); // block 1: "128 × 384 + 128 × 128 + ... = 196,608 weights; ..."
 * c.total();                      // 124,439,808 for GPT-2 124M
 * }</pre>
 *
 * @param shape      the model's hyper-parameters
 * @param outputTied whether the output matrix is the token embeddings (then not counted again)
 * @param groups     the embeddings, block 1..nLayer, the output (final LayerNorm, untied output matrix)
 */
public record ParameterCount(ModelShape shape, boolean outputTied, List<Group> groups) {

    /** What a tensor is for the arithmetic: a weight matrix (embeddings included), a bias, a LayerNorm gain or bias. */
    public enum Kind {
        /** Weights of a linear map or an embedding table: rows × columns. */
        WEIGHTS,
        /** The bias of a linear map. */
        BIAS,
        /** A LayerNorm's gain or bias. */
        NORM
    }

    /**
     * One tensor.
     *
     * @param name   GGUF name ({@code blk.0.attn_qkv.weight}), as llama.cpp's converter writes it
     * @param hfName Hugging Face name ({@code transformer.h.0.attn.c_attn.weight})
     * @param kind   weights, bias or LayerNorm
     * @param shape  PyTorch shape: [rows, columns] for weights, [n] otherwise
     */
    public record Tensor(String name, String hfName, Kind kind, long[] shape) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hfName, "hfName");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(shape, "shape");
            if (shape.length != (kind == Kind.WEIGHTS ? 2 : 1)) {
                throw new IllegalArgumentException(name + ": a " + kind + " tensor has " + (kind == Kind.WEIGHTS ? 2 : 1)
                        + " dimensions, not " + shape.length);
            }
            for (long d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException(name + ": dimensions must be >= 1");
                }
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of parameters: the product of the shape. */
        public long count() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** The shape as written in the arithmetic: "128 × 384", or "384". */
        public String shapeText() {
            return shape.length == 2 ? shape[0] + " × " + shape[1] : Long.toString(shape[0]);
        }
    }

    /**
     * A group of tensors with its subtotal.
     *
     * @param name    "embeddings", "block 1" .. "block nLayer", "output"
     * @param tensors its tensors, in file order
     */
    public record Group(String name, List<Tensor> tensors) {
        public Group {
            Objects.requireNonNull(name, "name");
            tensors = List.copyOf(tensors);
        }

        /** Parameters of the tensors of {@code kind}. */
        public long count(Kind kind) {
            return tensors.stream().filter(t -> t.kind() == kind).mapToLong(Tensor::count).sum();
        }

        /** All parameters of the group. */
        public long total() {
            return tensors.stream().mapToLong(Tensor::count).sum();
        }

        /**
         * The lecture's arithmetic: "128 × 384 + 128 × 128 + 128 × 512 + 512 × 128 = 196,608 weights;
         * 197,760 with biases (384 + 128 + 512 + 128); 198,272 with LayerNorms (4 × 128)".
         */
        public String arithmetic() {
            List<String> w = new ArrayList<>(), b = new ArrayList<>(), n = new ArrayList<>();
            for (Tensor t : tensors) {
                (t.kind() == Kind.WEIGHTS ? w : t.kind() == Kind.BIAS ? b : n).add(t.shapeText());
            }
            StringBuilder s = new StringBuilder();
            long sum = count(Kind.WEIGHTS);
            if (!w.isEmpty()) {
                s.append(String.join(" + ", w)).append(" = ").append(grouped(sum)).append(" weights");
            }
            if (!b.isEmpty()) {
                sum += count(Kind.BIAS);
                s.append(s.isEmpty() ? "" : "; ").append(grouped(sum)).append(w.isEmpty() ? " biases" : " with biases")
                        .append(" (").append(sums(b)).append(")");
            }
            if (!n.isEmpty()) {
                boolean alone = s.isEmpty();
                sum += count(Kind.NORM);
                s.append(alone ? "" : "; ").append(grouped(sum)).append(alone ? " in LayerNorms" : " with LayerNorms")
                        .append(" (").append(sums(n)).append(")");
            }
            return s.toString();
        }
    }

    public ParameterCount {
        Objects.requireNonNull(shape, "shape");
        groups = List.copyOf(groups);
        if (groups.size() != shape.nLayer() + 2) {
            throw new IllegalArgumentException(groups.size() + " groups for " + shape.nLayer() + " layers (want nLayer + 2)");
        }
    }

    /** The count of a GPT-2 of this shape, with an output matrix of its own unless {@code outputTied}. */
    public static ParameterCount of(ModelShape s, boolean outputTied) {
        Objects.requireNonNull(s, "shape");
        long v = s.nVocab(), c = s.nEmbd(), f = s.nFf(), t = s.nCtx();
        List<Group> groups = new ArrayList<>(s.nLayer() + 2);
        groups.add(new Group("embeddings", List.of(
                w("token_embd.weight", "transformer.wte.weight", v, c),
                w("position_embd.weight", "transformer.wpe.weight", t, c))));
        for (int l = 0; l < s.nLayer(); l++) {
            String g = "blk." + l + ".", h = "transformer.h." + l + ".";
            groups.add(new Group("block " + (l + 1), List.of(
                    norm(g + "attn_norm.weight", h + "ln_1.weight", c),
                    norm(g + "attn_norm.bias", h + "ln_1.bias", c),
                    w(g + "attn_qkv.weight", h + "attn.c_attn.weight", c, 3 * c),
                    bias(g + "attn_qkv.bias", h + "attn.c_attn.bias", 3 * c),
                    w(g + "attn_output.weight", h + "attn.c_proj.weight", c, c),
                    bias(g + "attn_output.bias", h + "attn.c_proj.bias", c),
                    norm(g + "ffn_norm.weight", h + "ln_2.weight", c),
                    norm(g + "ffn_norm.bias", h + "ln_2.bias", c),
                    w(g + "ffn_up.weight", h + "mlp.c_fc.weight", c, f),
                    bias(g + "ffn_up.bias", h + "mlp.c_fc.bias", f),
                    w(g + "ffn_down.weight", h + "mlp.c_proj.weight", f, c),
                    bias(g + "ffn_down.bias", h + "mlp.c_proj.bias", c))));
        }
        List<Tensor> out = new ArrayList<>(List.of(
                norm("output_norm.weight", "transformer.ln_f.weight", c),
                norm("output_norm.bias", "transformer.ln_f.bias", c)));
        if (!outputTied) {
            out.add(w("output.weight", "lm_head.weight", v, c));
        }
        groups.add(new Group("output", out));
        return new ParameterCount(s, outputTied, groups);
    }

    /**
     * The count of a loaded model, from its shape; checked against the parameters of the tensors its file
     * holds ({@link Gpt2Model#nParams()}).
     *
     * @throws IllegalStateException if the file holds a different number (tensors that are not GPT-2's)
     */
    public static ParameterCount of(Gpt2Model model) {
        Objects.requireNonNull(model, "model");
        ParameterCount c = of(model.info().shape(), model.outputTied());
        if (c.total() != model.nParams()) {
            throw new IllegalStateException("the tensors of " + model.path() + " hold " + model.nParams()
                    + " parameters, GPT-2's shape counts " + c.total());
        }
        return c;
    }

    /** All tensors, in file order. */
    public List<Tensor> tensors() {
        return groups.stream().flatMap(g -> g.tensors().stream()).toList();
    }

    /** The parameters of all tensors. */
    public long total() {
        return groups.stream().mapToLong(Group::total).sum();
    }

    /** The parameters of the tensors of {@code kind}, over the whole model. */
    public long count(Kind kind) {
        return groups.stream().mapToLong(g -> g.count(kind)).sum();
    }

    /** The total as the groups make it: "6,465,664 + 6 × 198,272 + 256 = 7,655,552" (embeddings + blocks + output). */
    public String arithmetic() {
        long emb = groups.get(0).total(), block = groups.get(1).total(), out = groups.get(groups.size() - 1).total();
        return grouped(emb) + " + " + shape.nLayer() + " × " + grouped(block) + " + " + grouped(out) + " = " + grouped(total());
    }

    /** 1234567 → "1,234,567". */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "384 + 128 + 512 + 128", or "4 × 128" when all are the same. */
    private static String sums(List<String> parts) {
        return parts.size() > 1 && parts.stream().distinct().count() == 1
                ? parts.size() + " × " + parts.get(0) : String.join(" + ", parts);
    }

    private static Tensor w(String name, String hf, long rows, long cols) {
        return new Tensor(name, hf, Kind.WEIGHTS, new long[] {rows, cols});
    }

    private static Tensor bias(String name, String hf, long n) {
        return new Tensor(name, hf, Kind.BIAS, new long[] {n});
    }

    private static Tensor norm(String name, String hf, long n) {
        return new Tensor(name, hf, Kind.NORM, new long[] {n});
    }
}
