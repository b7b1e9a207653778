package dev.gpt2java.jvm;

import dev.gpt2java.AdapterInfo;
import dev.gpt2java.ModelShape;
import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.LoraGguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A LoRA adapter for a {@link JvmModel} (gpt2.h, "LoRA adapters"; the rules of {@link LoraGguf}, which
 * libgpt2's loader applies too): for each adapted matrix W of a block, A (rank rows of in) and B (out rows
 * of rank), copied out of the file as F32, so that a session adds scale · B (A x) to W x
 * ({@link JvmSession#setAdapters}). Immutable; shared by any number of sessions.
 */
public final class JvmAdapter {

    /** One adapted matrix. */
    record Pair(WeightMatrix a, WeightMatrix b, int rank, int out) {
    }

    private final JvmModel model;
    private final Path path;
    private final AdapterInfo info;
    private final Pair[][] pairs;   // [layer][target], null where the adapter leaves the matrix

    private JvmAdapter(JvmModel model, Path path, LoraGguf lora) {
        this.model = model;
        this.path = path;
        this.info = new AdapterInfo(lora.name(), lora.rank(), lora.alpha(), lora.pairs().size());
        this.pairs = new Pair[model.hparams().nLayer()][LoraGguf.Target.values().length];
        Arena memory = Arena.ofAuto();   // freed with the last session that holds the adapter
        for (LoraGguf.Pair p : lora.pairs()) {
            WeightMatrix a = new WeightMatrix.F32(f32(lora.file(), p.a(), memory), p.rank(), p.in());
            WeightMatrix b = new WeightMatrix.F32(f32(lora.file(), p.b(), memory), p.out(), p.rank());
            pairs[p.layer()][p.target().ordinal()] = new Pair(a, b, p.rank(), p.out());
        }
    }

    /**
     * Loads the adapter at {@code path} for {@code model}.
     *
     * @throws dev.gpt2java.gguf.GgufFormatException if it is not a LoRA adapter for a GPT-2 of the model's shape
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public static JvmAdapter load(JvmModel model, Path path) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(path, "path");
        ModelShape hp = model.hparams();
        try (GgufFile g = GgufFile.open(path)) {
            return new JvmAdapter(model, path, LoraGguf.of(g, hp.nLayer(), hp.nEmbd(), hp.nFf()));
        }
    }

    /** The tensor's values as little-endian F32 in off-heap memory (the Vector API reads it there). */
    private static MemorySegment f32(GgufFile g, GgufFile.TensorInfo t, Arena memory) {
        MemorySegment src = g.data(t);
        long n = t.elements();
        MemorySegment dst = memory.allocate(4 * n, 64);
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            float v = t.type() == GgmlType.F32 ? src.get(f32, 4 * i)
                    : t.type() == GgmlType.F16 ? Float.float16ToFloat(src.get(i16, 2 * i))
                    : Float.intBitsToFloat((src.get(i16, 2 * i) & 0xffff) << 16);   // BF16
            dst.set(f32, 4 * i, v);
        }
        return dst;
    }

    /** The model it was loaded for. */
    public JvmModel model() {
        return model;
    }

    public Path path() {
        return path;
    }

    /** Its name, rank, alpha and how many matrices it adapts. */
    public AdapterInfo info() {
        return info;
    }

    /** The pair on {@code target} of block {@code layer}, or null. */
    Pair pair(int layer, LoraGguf.Target target) {
        return pairs[layer][target.ordinal()];
    }

    /** llama.cpp's factor of B A ({@link LoraGguf#scale(float, int, float)}). */
    float scale(Pair p, float userScale) {
        return LoraGguf.scale(info.alpha(), p.rank(), userScale);
    }

    @Override
    public String toString() {
        return "JvmAdapter[" + path + ", rank " + info.rank() + ", " + info.nMatrices() + " matrices]";
    }
}
