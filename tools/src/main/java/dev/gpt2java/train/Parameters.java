package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Where each GPT-2 tensor lives in one flat {@code float[]} (parameters, gradients and the optimizer's
 * moments all share this layout), under llama.cpp's GGUF tensor names. Matrices are row-major
 * [out][in], which is ggml's layout with ne0 = in; the output projection is tied to token_embd.
 */
final class Parameters {

    /** One tensor: its GGUF name, offset, element count and ggml shape (ne0 first). */
    record Tensor(String name, int offset, int size, long[] shape) {
        /** Matrices and embeddings get weight decay; biases and norm gains don't (as in GPT-2 recipes). */
        boolean decays() {
            return shape.length == 2;
        }
    }

    /** Offsets of one block's tensors. */
    record Layer(int ln1w, int ln1b, int qkvw, int qkvb, int attprojw, int attprojb,
                 int ln2w, int ln2b, int fcw, int fcb, int fcprojw, int fcprojb) {
    }

    final ModelShape shape;
    final int wte;      // (V, C)
    final int wpe;      // (T, C)
    final Layer[] layers;
    final int lnfw;     // (C)
    final int lnfb;     // (C)
    final int count;
    private final List<Tensor> tensors;

    Parameters(ModelShape s) {
        this.shape = s;
        int c = s.nEmbd(), ff = s.nFf();
        List<Tensor> ts = new ArrayList<>();
        int[] at = {0};
        wte = add(ts, at, "token_embd.weight", c, s.nVocab());
        wpe = add(ts, at, "position_embd.weight", c, s.nCtx());
        layers = new Layer[s.nLayer()];
        for (int l = 0; l < s.nLayer(); l++) {
            String p = "blk." + l + ".";
            layers[l] = new Layer(
                    add(ts, at, p + "attn_norm.weight", c),
                    add(ts, at, p + "attn_norm.bias", c),
                    add(ts, at, p + "attn_qkv.weight", c, 3 * c),
                    add(ts, at, p + "attn_qkv.bias", 3 * c),
                    add(ts, at, p + "attn_output.weight", c, c),
                    add(ts, at, p + "attn_output.bias", c),
                    add(ts, at, p + "ffn_norm.weight", c),
                    add(ts, at, p + "ffn_norm.bias", c),
                    add(ts, at, p + "ffn_up.weight", c, ff),
                    add(ts, at, p + "ffn_up.bias", ff),
                    add(ts, at, p + "ffn_down.weight", ff, c),
                    add(ts, at, p + "ffn_down.bias", c));
        }
        lnfw = add(ts, at, "output_norm.weight", c);
        lnfb = add(ts, at, "output_norm.bias", c);
        count = at[0];
        tensors = Collections.unmodifiableList(ts);
    }

    private static int add(List<Tensor> ts, int[] at, String name, long... ne) {
        long n = 1;
        for (long d : ne) {
            n *= d;
        }
        int offset = at[0];
        ts.add(new Tensor(name, offset, (int) n, ne));
        at[0] = Math.addExact(offset, (int) n);
        return offset;
    }

    /** GPT-2's initialisation of {@code params} (this layout): N(0, 0.02), residual projections N(0, 0.02/√(2L)), biases 0, norm gains 1. */
    void initialise(float[] params, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * shape.nLayer());
        for (Parameters.Tensor t : tensors()) {
            String n = t.name();
            if (n.endsWith("norm.weight")) {
                Arrays.fill(params, t.offset(), t.offset() + t.size(), 1f);
            } else if (n.endsWith(".bias")) {
                Arrays.fill(params, t.offset(), t.offset() + t.size(), 0f);
            } else {
                double std = n.endsWith("attn_output.weight") || n.endsWith("ffn_down.weight") ? residualStd : 0.02;
                for (int i = 0; i < t.size(); i++) {
                    params[t.offset() + i] = (float) (rnd.nextGaussian() * std);
                }
            }
        }
    }

    /** The tensors in GGUF order. */
    List<Tensor> tensors() {
        return tensors;
    }

    Tensor tensor(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }
}
