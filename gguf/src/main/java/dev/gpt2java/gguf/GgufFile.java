package dev.gpt2java.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3, little-endian) read through one read-only memory mapping: the
 * header, the metadata key/values, the tensor infos, and each tensor's bytes as a slice of the
 * mapping (nothing of the weights is copied onto the heap). Everything the file claims is checked
 * against its size before use; a malformed file raises {@link GgufFormatException} naming the file.
 *
 * <p>Metadata values are Java objects: UINT8/INT8/UINT16/INT16/INT32 as {@link Integer}, UINT32,
 * UINT64, INT64 as {@link Long}, FLOAT32 {@link Float}, FLOAT64 {@link Double}, BOOL {@link Boolean},
 * STRING {@link String}; arrays as {@code int[]} (8-32-bit integers, UINT32 as its bits), {@code long[]},
 * {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}, or {@code Object[]} (nested).
 *
 * <p>Close it to unmap; tensor slices handed out before are then invalid (access throws
 * {@link IllegalStateException}, never touches unmapped memory).
 */
public final class GgufFile implements AutoCloseable {

    /** One tensor: name, shape in ggml order (ne0 first, contiguous), type, and its bytes. */
    public record TensorInfo(String name, long[] shape, GgmlType type, long offset, long byteSize) {
        /** Number of elements. */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** ne[i], 1 beyond the stored dimensions. */
        public long ne(int i) {
            return i < shape.length ? shape[i] : 1;
        }
    }

    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final int alignment;
    private final long dataOffset;
    private long pos;

    private GgufFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        // verify magic and version
        if (file.byteSize() < 24) {
            throw bad("too short for a GGUF header (" + file.byteSize() + " bytes)");
        }
        if (readI32() != MAGIC) {
            throw bad("not a GGUF file (bad magic)");
        }
        version = readI32();
        if (version != 2 && version != 3) {
            throw bad("unsupported GGUF version " + version + " (2 and 3 are read)");
        }
        long nTensors = readI64();
        long nKv = readI64();
        if (nTensors < 0 || nKv < 0 || nTensors > remaining() / 8 || nKv > remaining() / 8) {
            throw bad("implausible counts: " + nTensors + " tensors, " + nKv + " metadata entries");
        }
        // metadata
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = readString();
            int type = readI32();
            Object value = readValue(type, key, 0);
            if (kv.put(key, value) != null) {
                throw bad("duplicate metadata key " + key);
            }
        }
        metadata = Collections.unmodifiableMap(kv);
        Object al = kv.get("general.alignment");
        if (al == null) {
            alignment = DEFAULT_ALIGNMENT;
        } else {
            long a = al instanceof Number n ? n.longValue() : -1;
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw bad("general.alignment must be a power of two, was " + al);
            }
            alignment = (int) a;
        }
        // tensor infos
        record Raw(String name, long[] shape, GgmlType type, long offset) {
        }
        Raw[] raws = new Raw[(int) nTensors];
        for (int i = 0; i < nTensors; i++) {
            String name = readString();
            int nDims = readI32();
            if (nDims < 1 || nDims > 4) {
                throw bad("tensor " + name + ": " + nDims + " dimensions (1..4 allowed)");
            }
            long[] shape = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                shape[d] = readI64();
                if (shape[d] < 1 || shape[d] > (1L << 40)) {
                    throw bad("tensor " + name + ": dimension " + d + " is " + shape[d]);
                }
            }
            int typeId = readI32();
            GgmlType type = GgmlType.ofId(typeId);
            if (type == null) {
                throw bad("tensor " + name + ": unknown ggml type " + typeId);
            }
            long offset = readI64();
            raws[i] = new Raw(name, shape, type, offset);
        }
        dataOffset = alignUp(pos, alignment);
        if (dataOffset > file.byteSize()) {
            throw bad("data section starts at " + dataOffset + ", past the end of the file (" + file.byteSize() + ")");
        }
        Map<String, TensorInfo> ts = new LinkedHashMap<>();
        long dataSize = file.byteSize() - dataOffset;
        for (Raw r : raws) {
            long n;
            try {
                n = 1;
                for (long d : r.shape) {
                    n = Math.multiplyExact(n, d);
                }
            } catch (ArithmeticException e) {
                throw bad("tensor " + r.name + ": element count overflows");
            }
            if (r.shape[0] % r.type.blockSize() != 0) {
                throw bad("tensor " + r.name + ": ne0 = " + r.shape[0] + " is not a multiple of the " + r.type
                        + " block size " + r.type.blockSize());
            }
            long bytes = n / r.type.blockSize() * r.type.blockBytes();
            if (r.offset < 0 || r.offset % alignment != 0 || r.offset > dataSize || bytes > dataSize - r.offset) {
                throw bad("tensor " + r.name + ": data [" + r.offset + ", +" + bytes + ") is misaligned or outside"
                        + " the data section of " + dataSize + " bytes");
            }
            if (ts.put(r.name, new TensorInfo(r.name, r.shape, r.type, r.offset, bytes)) != null) {
                throw bad("duplicate tensor " + r.name);
            }
        }
        tensors = Collections.unmodifiableMap(ts);
    }

    /**
     * Maps and parses {@code path}.
     *
     * @throws GgufFormatException  if the file is not a well-formed GGUF file
     * @throws UncheckedIOException if it cannot be read
     */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new GgufFile(path, arena, seg);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /** The metadata, in file order (unmodifiable). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The tensor infos by name, in file order (unmodifiable). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public int alignment() {
        return alignment;
    }

    /** Where the tensor data starts in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The bytes of {@code t}: a slice of the mapping, valid until {@link #close()}. */
    public MemorySegment data(TensorInfo t) {
        return file.asSlice(dataOffset + t.offset(), t.byteSize());
    }

    /**
     * The bytes of the tensor named {@code name}, read-only, valid until {@link #close()}.
     *
     * @throws GgufFormatException if the file has no such tensor
     */
    public MemorySegment tensorData(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw bad("missing tensor " + name);
        }
        return data(t).asReadOnly();
    }

    /** An integer value, whatever integer type the file stored it with. */
    public long getLong(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            throw bad("missing metadata key " + key);
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw bad("metadata key " + key + " is not an integer: " + v);
    }

    /** A float value (FLOAT32 or FLOAT64). */
    public float getFloat(String key) {
        Object v = metadata.get(key);
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).floatValue();
        }
        throw bad(v == null ? "missing metadata key " + key : "metadata key " + key + " is not a float: " + v);
    }

    /** A string value, or null when absent. */
    public String getString(String key) {
        Object v = metadata.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw bad("metadata key " + key + " is not a string: " + v);
    }

    /** An exception for a fault of this file: the message starts with its path. */
    public GgufFormatException bad(String what) {
        return new GgufFormatException(path + ": " + what);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    // ---- reading the header ----

    private static long alignUp(long x, long a) {
        return (x + a - 1) / a * a;
    }

    private long remaining() {
        return file.byteSize() - pos;
    }

    private void need(long n) {
        if (n < 0 || n > remaining()) {
            throw bad("truncated: " + n + " bytes needed at offset " + pos + ", " + remaining() + " left");
        }
    }

    private int readI32() {
        need(4);
        int v = file.get(I32, pos);
        pos += 4;
        return v;
    }

    private long readI64() {
        need(8);
        long v = file.get(I64, pos);
        pos += 8;
        return v;
    }

    private String readString() {
        long len = readI64();
        need(len);
        if (len > Integer.MAX_VALUE - 16) {
            throw bad("string of " + len + " bytes");
        }
        byte[] b = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int scalarBytes(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 10, 11, 12 -> 8;
            default -> -1;
        };
    }

    private Object readValue(int type, String key, int depth) {
        switch (type) {
            case 0: need(1); return Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, pos++));
            case 1: need(1); return (int) file.get(ValueLayout.JAVA_BYTE, pos++);
            case 2: { need(2); int v = Short.toUnsignedInt(file.get(I16, pos)); pos += 2; return v; }
            case 3: { need(2); int v = file.get(I16, pos); pos += 2; return v; }
            case 4: return Integer.toUnsignedLong(readI32());
            case 5: return readI32();
            case 6: return Float.intBitsToFloat(readI32());
            case 7: { need(1); byte b = file.get(ValueLayout.JAVA_BYTE, pos++); return b != 0; }
            case 8: return readString();
            case 10, 11: return readI64();
            case 12: return Double.longBitsToDouble(readI64());
            case 9: return readArray(key, depth);
            default: throw bad("metadata key " + key + ": unknown value type " + type);
        }
    }

    private Object readArray(String key, int depth) {
        if (depth > 4) {
            throw bad("metadata key " + key + ": arrays nested too deep");
        }
        int et = readI32();
        long n = readI64();
        int eb = scalarBytes(et);
        // every element takes at least 1 byte (strings 8): bound the count before allocating
        long minBytes = et == 8 || et == 9 ? 8 : eb;
        if (minBytes < 0) {
            throw bad("metadata key " + key + ": unknown array element type " + et);
        }
        if (n < 0 || n > remaining() / minBytes || n > Integer.MAX_VALUE - 16) {
            throw bad("metadata key " + key + ": array of " + n + " elements does not fit in the file");
        }
        int len = (int) n;
        // the Java array of the element type: integers up to 32 bits in int[] (uint32 as its bits,
        // unlike a scalar uint32, which is a long), 64-bit ones in long[], nested arrays in Object[]
        Object a = switch (et) {
            case 0, 1, 2, 3, 4, 5 -> new int[len];
            case 6 -> new float[len];
            case 7 -> new boolean[len];
            case 8 -> new String[len];
            case 10, 11 -> new long[len];
            case 12 -> new double[len];
            default -> new Object[len]; // 9: nested
        };
        for (int i = 0; i < len; i++) {
            Array.set(a, i, et == 4 ? readI32() : readValue(et, key, depth + 1));
        }
        return a;
    }
}
