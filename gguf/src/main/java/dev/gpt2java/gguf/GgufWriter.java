package dev.gpt2java.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a GGUF file (version 3, little-endian): metadata key/values with explicit GGUF types, in the
 * order they were put, then tensor infos and the tensors' bytes, each aligned to {@code general.alignment}
 * (32 unless that key is put).
 *
 * <p>Tensor bytes are not held on the heap: each tensor names a {@link TensorData} that fills its slice of
 * the memory-mapped output when {@link #write} runs, so a multi-gigabyte checkpoint streams from its
 * source. The file appears atomically: it is written beside the target and moved into place.
 *
 * <pre>{@code
 * new GgufWriter()
 *     .putString("general.architecture", "gpt2")
 *     .putU32("gpt2.block_count", 12)
 *     .addF32("output_norm.weight", new long[] {768}, gamma)
 *     .write(Path.of("model.gguf"));
 * }</pre>
 */
public final class GgufWriter {

    /** Fills a tensor's bytes: {@code dst} is exactly the tensor's byte size, in GGUF (little-endian) layout. */
    @FunctionalInterface
    public interface TensorData {
        void writeTo(MemorySegment dst) throws IOException;
    }

    // GGUF value types (gguf.h's enum gguf_type)
    private static final int T_INT32 = 5, T_UINT32 = 4, T_FLOAT32 = 6, T_BOOL = 7,
            T_STRING = 8, T_ARRAY = 9, T_UINT64 = 10;

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Entry(String key, int type, Object value) {
    }

    private record Tensor(String name, long[] shape, GgmlType type, long byteSize, TensorData data) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    // ---- metadata

    public GgufWriter putString(String key, String value) {
        return put(key, T_STRING, Objects.requireNonNull(value, key));
    }

    /** A UINT32 value; {@code value} must be in [0, 2^32). */
    public GgufWriter putU32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " does not fit a UINT32");
        }
        if (key.equals("general.alignment")) {
            if (value == 0 || value > (1 << 20) || Long.bitCount(value) != 1) {
                throw new IllegalArgumentException("general.alignment must be a power of two, was " + value);
            }
            alignment = (int) value;
        }
        return put(key, T_UINT32, value);
    }

    public GgufWriter putU64(String key, long value) {
        return put(key, T_UINT64, value);
    }

    public GgufWriter putI32(String key, int value) {
        return put(key, T_INT32, value);
    }

    public GgufWriter putF32(String key, float value) {
        return put(key, T_FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, T_BOOL, value);
    }

    /** An ARRAY of STRING. */
    public GgufWriter putStrings(String key, List<String> values) {
        List<String> copy = List.copyOf(values);
        return put(key, T_ARRAY, new Object[] {T_STRING, copy});
    }

    /** An ARRAY of INT32. */
    public GgufWriter putI32s(String key, int[] values) {
        return put(key, T_ARRAY, new Object[] {T_INT32, values.clone()});
    }

    /** An ARRAY of FLOAT32. */
    public GgufWriter putF32s(String key, float[] values) {
        return put(key, T_ARRAY, new Object[] {T_FLOAT32, values.clone()});
    }

    private GgufWriter put(String key, int type, Object value) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty metadata key");
        }
        if (!keys.add(key)) {
            throw new IllegalArgumentException("duplicate metadata key " + key);
        }
        entries.add(new Entry(key, type, value));
        return this;
    }

    // ---- tensors

    /**
     * A tensor of {@code type} with {@code shape} in ggml order (ne0, the contiguous dimension, first);
     * {@code data} fills its bytes at write time.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorData data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException(name + ": " + shape.length + " dimensions (1..4 allowed)");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": dimension " + d + " < 1");
            }
            elements = Math.multiplyExact(elements, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": ne0 = " + shape[0] + " is not a multiple of "
                    + type + "'s block of " + type.blockSize());
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tensor " + name);
        }
        long bytes = elements / type.blockSize() * type.blockBytes();
        tensors.add(new Tensor(name, shape.clone(), type, bytes, data));
        return this;
    }

    /** A tensor of raw bytes already in {@code type}'s layout (copied at write time). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment bytes) {
        addTensor(name, type, shape, dst -> dst.copyFrom(bytes));
        long expected = tensors.getLast().byteSize();
        if (bytes.byteSize() != expected) {
            tensors.removeLast();
            names.remove(name);
            throw new IllegalArgumentException(name + ": " + bytes.byteSize() + " bytes given, " + expected + " expected");
        }
        return this;
    }

    /** An F32 tensor of {@code values} (row-major, ne0 fastest). The array is read at write time. */
    public GgufWriter addF32(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        return addTensor(name, GgmlType.F32, shape, dst -> MemorySegment.copy(values, 0, dst, F32_LE, 0, values.length));
    }

    /** An F16 tensor of {@code values} rounded to half precision (round to nearest even). */
    public GgufWriter addF16(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        return addTensor(name, GgmlType.F16, shape, dst -> {
            for (int i = 0; i < values.length; i++) {
                dst.set(I16_LE, 2L * i, Float.floatToFloat16(values[i]));
            }
        });
    }

    private static void checkCount(String name, long[] shape, int count) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (elements != count) {
            throw new IllegalArgumentException(name + ": shape holds " + elements + " values, " + count + " given");
        }
    }

    // ---- output

    /** Writes the file to {@code path} (replacing it atomically where the file system allows). */
    public void write(Path path) throws IOException {
        byte[] header = header();
        long dataOffset = align(header.length);
        long total = dataOffset;
        for (Tensor t : tensors) {
            total = align(total + t.byteSize());
        }
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // beside the target, with the permissions a new file gets here (createTempFile would make it 0600)
        Path tmp = Files.createFile(dir.resolve("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp"));
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    Arena arena = Arena.ofConfined()) {
                MemorySegment out = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                MemorySegment.copy(header, 0, out, ValueLayout.JAVA_BYTE, 0, header.length);
                long offset = dataOffset;
                for (Tensor t : tensors) {
                    t.data().writeTo(out.asSlice(offset, t.byteSize()));
                    offset = align(offset + t.byteSize());
                }
                out.force();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private byte[] header() {
        Le out = new Le();
        out.i32(GgufFile.MAGIC);
        out.i32(3);
        out.i64(tensors.size());
        out.i64(entries.size());
        // metadata
        for (Entry e : entries) {
            out.string(e.key());
            out.i32(e.type());
            value(out, e.type(), e.value());
        }
        // tensor infos: offsets relative to the data section
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name());
            out.i32(t.shape().length);
            for (long d : t.shape()) {
                out.i64(d);
            }
            out.i32(t.type().id());
            out.i64(offset);
            offset = align(offset + t.byteSize());
        }
        return out.toByteArray();
    }

    private static void value(Le out, int type, Object value) {
        switch (type) {
            case T_UINT32 -> out.i32((int) (long) (Long) value);
            case T_INT32 -> out.i32((Integer) value);
            case T_FLOAT32 -> out.i32(Float.floatToRawIntBits((Float) value));
            case T_BOOL -> out.write((Boolean) value ? 1 : 0);
            case T_STRING -> out.string((String) value);
            case T_UINT64 -> out.i64((Long) value);
            case T_ARRAY -> {
                Object[] arr = (Object[]) value;
                int elementType = (Integer) arr[0];
                out.i32(elementType);
                switch (elementType) {
                    case T_STRING -> {
                        @SuppressWarnings("unchecked")
                        List<String> strings = (List<String>) arr[1];
                        out.i64(strings.size());
                        strings.forEach(out::string);
                    }
                    case T_INT32 -> {
                        int[] ints = (int[]) arr[1];
                        out.i64(ints.length);
                        for (int v : ints) {
                            out.i32(v);
                        }
                    }
                    case T_FLOAT32 -> {
                        float[] floats = (float[]) arr[1];
                        out.i64(floats.length);
                        for (float v : floats) {
                            out.i32(Float.floatToRawIntBits(v));
                        }
                    }
                    default -> throw new AssertionError(elementType);
                }
            }
            default -> throw new AssertionError(type);
        }
    }

    /** A little-endian byte sink. */
    private static final class Le extends ByteArrayOutputStream {
        void i32(int v) {
            write(v);
            write(v >>> 8);
            write(v >>> 16);
            write(v >>> 24);
        }

        void i64(long v) {
            i32((int) v);
            i32((int) (v >>> 32));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            write(b, 0, b.length);
        }
    }
}
