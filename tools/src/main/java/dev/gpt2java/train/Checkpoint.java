package dev.gpt2java.train;

import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.GgufWriter;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A training run's resumable state in one GGUF file: the weights and AdamW's two moments as flat F32
 * tensors, the step reached and the time spent, and what the run must match to resume (the shape,
 * batch, sequence length, seed and corpus hash).
 */
record Checkpoint(ModelShape shape, int batch, int seqLen, long seed, String corpusSha256, int step,
                  double elapsedSeconds, float[] params, float[] m, float[] v, long adamStep) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final String P = "gpt2java.train.";

    void write(Path path) throws IOException {
        long n = params.length;
        new GgufWriter()
                .putString("general.architecture", "gpt2java-train-state")
                .putU32(P + "n_vocab", shape.nVocab()).putU32(P + "n_ctx", shape.nCtx())
                .putU32(P + "n_embd", shape.nEmbd()).putU32(P + "n_head", shape.nHead())
                .putU32(P + "n_layer", shape.nLayer())
                .putU32(P + "batch", batch).putU32(P + "seq_len", seqLen).putU64(P + "seed", seed)
                .putString(P + "corpus_sha256", corpusSha256)
                .putU32(P + "step", step).putU64(P + "adam_step", adamStep)
                .putString(P + "elapsed_seconds", Double.toString(elapsedSeconds))
                .addF32("train.params", new long[] {n}, params)
                .addF32("train.adam_m", new long[] {n}, m)
                .addF32("train.adam_v", new long[] {n}, v)
                .write(path);
    }

    /**
     * The checkpoint at {@code path}; its three vectors hold the same number of values (the run's trainable
     * ones: the model's parameters, or its adapters), which the resuming run compares with its own.
     */
    static Checkpoint read(Path path) {
        try (GgufFile g = GgufFile.open(path)) {
            if (!"gpt2java-train-state".equals(g.metadata().get("general.architecture"))) {
                throw new IllegalArgumentException(path + " is not a gpt2-java training checkpoint");
            }
            ModelShape shape = new ModelShape((int) g.getLong(P + "n_vocab"), (int) g.getLong(P + "n_ctx"),
                    (int) g.getLong(P + "n_embd"), (int) g.getLong(P + "n_head"), (int) g.getLong(P + "n_layer"));
            var first = g.tensors().get("train.params");
            long count = first == null ? -1 : first.elements();
            float[][] arrays = new float[3][];
            String[] names = {"train.params", "train.adam_m", "train.adam_v"};
            for (int i = 0; i < 3; i++) {
                var t = g.tensors().get(names[i]);
                if (t == null || t.type() != GgmlType.F32 || t.elements() != count || count > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(path + ": tensor " + names[i] + " missing or not " + count
                            + " F32 values as train.params");
                }
                arrays[i] = g.tensorData(names[i]).toArray(F32);
            }
            return new Checkpoint(shape, (int) g.getLong(P + "batch"), (int) g.getLong(P + "seq_len"), g.getLong(P + "seed"),
                    g.getString(P + "corpus_sha256"), (int) g.getLong(P + "step"),
                    Double.parseDouble(g.getString(P + "elapsed_seconds")), arrays[0], arrays[1], arrays[2],
                    g.getLong(P + "adam_step"));
        }
    }
}
