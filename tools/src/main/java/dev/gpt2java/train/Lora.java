package dev.gpt2java.train;

import dev.gpt2java.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (Hu et al. 2021, LoRA) on every block's four matrices (attn_qkv, attn_output,
 * ffn_up, ffn_down): each frozen W (out, in) becomes W + (alpha / rank) · B A with A (rank, in) and
 * B (out, rank) trained, A drawn from U(-1/√in, 1/√in) (peft's Kaiming-uniform) and B zero, so training
 * starts from the base model exactly. Every other parameter stays the base's.
 *
 * <p>The training pass computes G = dL/dW' at the adapted weights W' = W + s B A; W' being linear in A and
 * B, dL/dA = s Bᵀ G and dL/dB = s G Aᵀ exactly: the pass needs no change. The adapters are laid out in one
 * flat vector (what AdamW and checkpoints read), each under llama.cpp's LoRA tensor names
 * ({@code blk.N.attn_qkv.weight.lora_a}, ggml shape [in, rank]; {@code .lora_b}, [rank, out]).
 */
final class Lora {

    /** One adapted matrix: its offset in the model's parameters, its shape, and its A and B in {@link #params}. */
    record Target(String name, int w, int out, int in, int a, int b) {
    }

    final int rank;
    final float alpha;
    final float scale;
    final List<Target> targets;
    /** A and B of every target, in {@link #tensors}' layout. */
    final float[] params;
    /** The gradient of the last {@link #gradients}. */
    final float[] grads;
    final List<Parameters.Tensor> tensors;
    /** The frozen weights (the caller's array, never written). */
    private final float[] base;
    private boolean primed;

    /**
     * Adapters of {@code rank} on {@code layout}'s matrices over {@code base} (the frozen weights: kept, not
     * copied, so the caller must leave them as they are), seeded.
     */
    Lora(Parameters layout, float[] base, int rank, float alpha, long seed) {
        this.rank = rank;
        this.alpha = alpha;
        this.scale = alpha / rank;
        this.base = base;
        List<Target> ts = new ArrayList<>();
        List<Parameters.Tensor> tensors = new ArrayList<>();
        int at = 0;
        int c = layout.shape.nEmbd(), ff = layout.shape.nFf();
        for (int l = 0; l < layout.layers.length; l++) {
            Parameters.Layer p = layout.layers[l];
            String blk = "blk." + l + ".";
            int[][] m = {{p.qkvw(), 3 * c, c}, {p.attprojw(), c, c}, {p.fcw(), ff, c}, {p.fcprojw(), c, ff}};
            String[] names = {"attn_qkv", "attn_output", "ffn_up", "ffn_down"};
            for (int i = 0; i < m.length; i++) {
                String name = blk + names[i] + ".weight";
                int out = m[i][1], in = m[i][2];
                int a = at, b = Math.addExact(a, rank * in);
                at = Math.addExact(b, out * rank);
                ts.add(new Target(name, m[i][0], out, in, a, b));
                tensors.add(new Parameters.Tensor(name + ".lora_a", a, rank * in, new long[] {in, rank}));
                tensors.add(new Parameters.Tensor(name + ".lora_b", b, out * rank, new long[] {rank, out}));
            }
        }
        this.targets = Collections.unmodifiableList(ts);
        this.tensors = Collections.unmodifiableList(tensors);
        this.params = new float[at];
        this.grads = new float[at];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Target t : targets) {
            double bound = 1 / Math.sqrt(t.in);
            for (int i = 0; i < rank * t.in; i++) {
                params[t.a + i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
            }
        }
    }

    /**
     * The adapted weights W + s B A into {@code model}'s parameters, and at the first call the base's
     * everywhere else ({@code model} is written by nothing else in a run).
     */
    void apply(float[] model) {
        if (!primed) {
            System.arraycopy(base, 0, model, 0, base.length);
            primed = true;
        }
        float[] row = new float[0];
        for (Target t : targets) {
            if (row.length < t.in) {
                row = new float[t.in];
            }
            for (int o = 0; o < t.out; o++) {
                Arrays.fill(row, 0, t.in, 0f);
                for (int k = 0; k < rank; k++) {
                    float bk = params[t.b + o * rank + k];
                    int aRow = t.a + k * t.in;
                    for (int i = 0; i < t.in; i++) {
                        row[i] += bk * params[aRow + i];
                    }
                }
                int w = t.w + o * t.in;
                for (int i = 0; i < t.in; i++) {
                    model[w + i] = base[w + i] + scale * row[i];
                }
            }
        }
    }

    /** dL/dA = s Bᵀ G and dL/dB = s G Aᵀ into {@link #grads}, from G = dL/dW' in {@code modelGrads}; sums in double. */
    void gradients(float[] modelGrads) {
        double[] ga = new double[0];
        for (Target t : targets) {
            if (ga.length < rank * t.in) {
                ga = new double[rank * t.in];
            }
            Arrays.fill(ga, 0, rank * t.in, 0);
            for (int o = 0; o < t.out; o++) {
                int g = t.w + o * t.in;
                for (int k = 0; k < rank; k++) {
                    int aRow = t.a + k * t.in;
                    double bk = params[t.b + o * rank + k];
                    double dot = 0;
                    for (int i = 0; i < t.in; i++) {
                        double gi = modelGrads[g + i];
                        dot += gi * params[aRow + i];
                        ga[k * t.in + i] += bk * gi;
                    }
                    grads[t.b + o * rank + k] = (float) (scale * dot);
                }
            }
            for (int i = 0; i < rank * t.in; i++) {
                grads[t.a + i] = (float) (scale * ga[i]);
            }
        }
    }

    /** What the optimizer updates: the adapters, applied to {@code model} after each update. */
    Trainable trainable(TrainingPass model) {
        return new Trainable(params, grads, tensors, () -> apply(model.params));
    }

    /**
     * The adapters as a GGUF in llama.cpp's LoRA layout ({@code general.type} "adapter", {@code adapter.type}
     * "lora", {@code adapter.lora.alpha}; the scale is alpha / rank, rank the lora_a tensors' ne1), F32.
     */
    void write(Path path, String name, Map<String, String> provenance) throws IOException {
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "gpt2")
                .putString("general.type", "adapter")
                .putString("general.name", name)
                .putString("adapter.type", "lora")
                .putF32("adapter.lora.alpha", alpha);
        provenance.forEach(w::putString);
        for (Parameters.Tensor t : tensors) {
            w.addF32(t.name(), t.shape(), Arrays.copyOfRange(params, t.offset(), t.offset() + t.size()));
        }
        w.write(path);
    }
}
