package dev.gpt2java.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file (versions 2 and 3, little-endian) read through one read-only memory mapping: the
 * header, the metadata key/values, the tensor infos, and each tensor's bytes as a slice of the
 * mapping (nothing of the weights is copied onto the heap).
 *
 * <h2>Well-formed</h2>
 * A file is refused with {@link GgufFormatException} (naming the file) exactly where the pinned ggml's
 * {@code gguf.cpp} refuses it, so that this reader and libgpt2 (which parses with ggml) agree on what a
 * GGUF is (docs/GGUF.md): version 2 or 3; keys non-empty and unique (by their bytes); value types
 * 0..12, arrays not nested; a string at most 2^30 bytes, an array at most 2^30 elements, each within
 * what is left of the file (checked before anything is allocated); {@code general.alignment} a u32 power
 * of 2; tensor names shorter than 64 bytes and unique; at most 4 dimensions, none negative, their
 * product representable; a type ggml reads, {@code ne0} a multiple of its block size; the tensors'
 * offsets the running sum of their sizes padded to the alignment, in info order. One rule more, which
 * libgpt2 checks after ggml: every tensor's bytes lie within the file.
 *
 * <h2>Names as ggml sees them</h2>
 * ggml hands out keys, tensor names and string values as C strings: a NUL byte ends them. The keys of
 * {@link #metadata()} and the names of {@link #tensors()} are what comes before the first NUL (the first
 * of two keys equal so is the one found, as {@code gguf_find_key} finds it); string values are kept
 * whole, and {@link #cString} cuts one as ggml would.
 *
 * <p>Metadata values are Java objects: UINT8/INT8/UINT16/INT16/INT32 as {@link Integer}, UINT32,
 * UINT64, INT64 as {@link Long}, FLOAT32 {@link Float}, FLOAT64 {@link Double}, BOOL {@link Boolean},
 * STRING {@link String}; arrays as {@code int[]} (8-32-bit integers, UINT32 as its bits), {@code long[]},
 * {@code float[]}, {@code double[]}, {@code boolean[]} or {@code String[]}. {@link #valueType} and
 * {@link #elementType} give the GGUF types.
 *
 * <p>Close it to unmap; tensor slices handed out before are then invalid (access throws
 * {@link IllegalStateException}, never touches unmapped memory).
 */
public final class GgufFile implements AutoCloseable {

    /** One tensor: name, shape in ggml order (ne0 first, contiguous; as stored, 0 to 4 dimensions), type, and its bytes. */
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

    /** GGUF value types (gguf.h's {@code enum gguf_type}). */
    public static final int T_UINT8 = 0, T_INT8 = 1, T_UINT16 = 2, T_INT16 = 3, T_UINT32 = 4, T_INT32 = 5,
            T_FLOAT32 = 6, T_BOOL = 7, T_STRING = 8, T_ARRAY = 9, T_UINT64 = 10, T_INT64 = 11, T_FLOAT64 = 12;

    /** gguf.cpp's GGUF_MAX_STRING_LENGTH and GGUF_MAX_ARRAY_ELEMENTS. */
    public static final long MAX_STRING_BYTES = 1L << 30, MAX_ARRAY_ELEMENTS = 1L << 30;

    /** ggml's GGML_MAX_NAME: a tensor name has fewer bytes. */
    public static final int MAX_NAME = 64;

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
    private final Map<String, Integer> valueTypes = new HashMap<>();
    private final Map<String, Integer> elementTypes = new HashMap<>();
    private final Map<String, Integer> firstInvalidUtf8 = new HashMap<>();
    private final List<TensorInfo> tensorList;
    private final Map<String, TensorInfo> tensors;
    private final long alignment;
    private final long dataOffset;
    private long pos;
    private boolean recordUtf8;   // while reading the value of the first key of its name

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
            throw bad("unsupported GGUF version " + Integer.toUnsignedString(version) + " (2 and 3 are read)");
        }
        long nTensors = readI64();
        long nKv = readI64();
        // a key takes at least 12 bytes, a tensor info 24: a count beyond remaining() / 8 cannot fit
        if (nTensors < 0 || nKv < 0 || nTensors > remaining() / 8 || nKv > remaining() / 8) {
            throw bad("implausible counts: " + nTensors + " tensors, " + nKv + " metadata entries in a file of "
                    + file.byteSize() + " bytes");
        }

        // metadata
        Map<String, Object> kv = new LinkedHashMap<>();
        Set<String> rawKeys = new HashSet<>();
        for (long i = 0; i < nKv; i++) {
            final long keyIndex = i;
            byte[] rawKey = readBytes(() -> "key " + keyIndex);
            String key = cString(rawKey);
            if (rawKey.length == 0) {
                throw bad("metadata key " + i + " is empty");
            }
            if (!rawKeys.add(new String(rawKey, StandardCharsets.ISO_8859_1))) {
                throw bad("duplicate metadata key " + GgufText.quote(key));
            }
            int type = readI32();
            int elementType = -1;
            recordUtf8 = !kv.containsKey(key);   // gguf_find_key finds the first of equal keys
            Object value;
            if (type == T_ARRAY) {
                elementType = readI32();
                long n = readI64();
                value = readArray(key, elementType, n);
            } else {
                value = readScalar(key, type, 0);
            }
            if (!kv.containsKey(key)) {
                kv.put(key, value);
                valueTypes.put(key, type);
                elementTypes.put(key, elementType);
            }
        }
        metadata = Collections.unmodifiableMap(kv);
        if (kv.containsKey("general.alignment")) {
            if (valueTypes.get("general.alignment") != T_UINT32) {
                throw bad("general.alignment has type " + typeName(valueTypes.get("general.alignment")) + ", must be u32");
            }
            long a = (Long) kv.get("general.alignment");
            if (a == 0 || (a & (a - 1)) != 0) {
                throw bad("general.alignment " + a + " is not a power of 2");
            }
            alignment = a;
        } else {
            alignment = DEFAULT_ALIGNMENT;
        }

        // tensor infos
        record Raw(String name, long[] ne, int nDims, GgmlType type, long offset) {
        }
        List<Raw> raws = new ArrayList<>((int) Math.min(nTensors, 1 << 16));
        Set<String> names = new HashSet<>();
        for (long i = 0; i < nTensors; i++) {
            final long tensorIndex = i;
            byte[] rawName = readBytes(() -> "the name of tensor " + tensorIndex);
            String name = cString(rawName);
            if (rawName.length >= MAX_NAME) {
                throw bad("tensor " + i + " has a name of " + rawName.length + " bytes (at most " + (MAX_NAME - 1) + ")");
            }
            if (!names.add(name)) {
                throw bad("duplicate tensor " + GgufText.quote(name));
            }
            String shown = GgufText.quote(name);
            long nDims = Integer.toUnsignedLong(readI32());
            if (nDims > 4) {
                throw bad("tensor " + shown + ": " + nDims + " dimensions (at most 4)");
            }
            long[] ne = {1, 1, 1, 1};
            for (int d = 0; d < nDims; d++) {
                ne[d] = readI64();
                if (ne[d] < 0) {
                    throw bad("tensor " + shown + ": dimension " + d + " is " + ne[d]);
                }
            }
            boolean empty = ne[0] == 0 || ne[1] == 0 || ne[2] == 0 || ne[3] == 0;
            if (!empty && (Long.MAX_VALUE / ne[1] <= ne[0] || Long.MAX_VALUE / ne[2] <= ne[0] * ne[1]
                    || Long.MAX_VALUE / ne[3] <= ne[0] * ne[1] * ne[2])) {
                throw bad("tensor " + shown + ": the number of elements overflows");
            }
            int typeId = readI32();
            GgmlType type = GgmlType.ofId(typeId);
            if (type == null) {
                throw bad("tensor " + shown + ": invalid ggml type " + typeId);
            }
            if (ne[0] % type.blockSize() != 0) {
                throw bad("tensor " + shown + ": ne0 = " + ne[0] + " is not a multiple of the " + type.ggmlName()
                        + " block size " + type.blockSize());
            }
            long blocks = ne[0] * ne[1] * ne[2] * ne[3] / type.blockSize();
            if (Long.compareUnsigned(blocks, Long.divideUnsigned(-1L, type.blockBytes())) > 0) {
                throw bad("tensor " + shown + ": its size in bytes overflows");
            }
            raws.add(new Raw(name, ne, (int) nDims, type, readI64()));
        }
        if (nTensors > 0) {
            dataOffset = alignUp(pos, alignment);
            if (dataOffset < 0 || dataOffset > file.byteSize()) {
                throw bad("data section starts past the end of the file (" + file.byteSize() + " bytes)");
            }
        } else {
            dataOffset = pos;
        }
        List<TensorInfo> list = new ArrayList<>(raws.size());
        Map<String, TensorInfo> ts = new LinkedHashMap<>();
        long dataSize = file.byteSize() - dataOffset;
        long expected = 0;   // the running padded size; gguf.cpp's ctx->size
        for (Raw r : raws) {
            String shown = GgufText.quote(r.name);
            boolean empty = r.ne[0] == 0 || r.ne[1] == 0 || r.ne[2] == 0 || r.ne[3] == 0;
            long blocks = empty ? 0 : r.ne[0] * r.ne[1] * r.ne[2] * r.ne[3] / r.type.blockSize();
            if (blocks > dataSize / r.type.blockBytes()) {
                throw bad("tensor " + shown + ": " + blocks + " blocks of " + r.type.ggmlName()
                        + " do not fit in the data section of " + dataSize + " bytes: truncated?");
            }
            long bytes = blocks * r.type.blockBytes();
            if (r.offset != expected) {
                throw bad("tensor " + shown + " has offset " + Long.toUnsignedString(r.offset) + ", expected " + expected
                        + " (offsets are the running padded sizes, in info order)");
            }
            if (bytes > dataSize - r.offset) {
                throw bad("tensor " + shown + ": data [" + r.offset + ", +" + bytes + ") is outside the data section of "
                        + dataSize + " bytes: truncated?");
            }
            expected = alignUp(r.offset + bytes, alignment);
            TensorInfo t = new TensorInfo(r.name, java.util.Arrays.copyOf(r.ne, r.nDims), r.type, r.offset, bytes);
            list.add(t);
            ts.put(r.name, t);
        }
        tensorList = Collections.unmodifiableList(list);
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

    /** The size of the file in bytes. */
    public long size() {
        return file.byteSize();
    }

    /** The metadata, in file order (unmodifiable), keyed as ggml finds them (see the class comment). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The GGUF type of the value of {@code key} ({@link #T_ARRAY} for arrays), or -1 if absent. */
    public int valueType(String key) {
        return valueTypes.getOrDefault(key, -1);
    }

    /** The GGUF type of the elements of array {@code key}, or -1 if absent or not an array. */
    public int elementType(String key) {
        return elementTypes.getOrDefault(key, -1);
    }

    /**
     * The index of the first string of {@code key} (0 for a string value) whose text before its first
     * NUL (what ggml hands out) is not well-formed UTF-8, or -1 if there is none.
     */
    public int firstInvalidUtf8(String key) {
        return firstInvalidUtf8.getOrDefault(key, -1);
    }

    /** The tensor infos by name, in file order (unmodifiable). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor infos in file order (unmodifiable); names unique. */
    public List<TensorInfo> tensorList() {
        return tensorList;
    }

    public long alignment() {
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
            throw bad("missing tensor " + GgufText.quote(name));
        }
        return data(t).asReadOnly();
    }

    /** An integer value, whatever integer type the file stored it with. */
    public long getLong(String key) {
        Object v = metadata.get(key);
        if (v == null) {
            throw bad("missing metadata key " + GgufText.quote(key));
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw bad("metadata key " + GgufText.quote(key) + " has type " + typeName(valueType(key)) + ", not an integer");
    }

    /** A float value (FLOAT32 or FLOAT64). */
    public float getFloat(String key) {
        Object v = metadata.get(key);
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).floatValue();
        }
        throw bad(v == null ? "missing metadata key " + GgufText.quote(key)
                : "metadata key " + GgufText.quote(key) + " has type " + typeName(valueType(key)) + ", not a float");
    }

    /** A string value, or null when absent. */
    public String getString(String key) {
        Object v = metadata.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw bad("metadata key " + GgufText.quote(key) + " has type " + typeName(valueType(key)) + ", not a string");
    }

    /** An exception for a fault of this file: the message starts with its path. */
    public GgufFormatException bad(String what) {
        return new GgufFormatException(path + ": " + what);
    }

    /** gguf.cpp's name of a GGUF value type ({@code "u32"}), or the number of an unknown one. */
    public static String typeName(int type) {
        return switch (type) {
            case T_UINT8 -> "u8";
            case T_INT8 -> "i8";
            case T_UINT16 -> "u16";
            case T_INT16 -> "i16";
            case T_UINT32 -> "u32";
            case T_INT32 -> "i32";
            case T_FLOAT32 -> "f32";
            case T_BOOL -> "bool";
            case T_STRING -> "str";
            case T_ARRAY -> "arr";
            case T_UINT64 -> "u64";
            case T_INT64 -> "i64";
            case T_FLOAT64 -> "f64";
            default -> "type " + type;
        };
    }

    /** {@code s} as ggml's C-string API gives it: what comes before its first NUL. */
    public static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
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

    /** A GGUF string's bytes: a u64 length, checked against gguf.cpp's bound and the file before allocating. */
    private byte[] readBytes(java.util.function.Supplier<String> what) {
        long len = readI64();
        if (len < 0 || len > MAX_STRING_BYTES) {
            throw bad(what.get() + ": a string of " + Long.toUnsignedString(len) + " bytes (at most " + MAX_STRING_BYTES + ")");
        }
        if (len > remaining()) {
            throw bad(what.get() + ": a string of " + len + " bytes does not fit in the " + remaining() + " bytes left: truncated?");
        }
        byte[] b = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return b;
    }

    /** The text of a key or name as ggml sees it: the bytes before the first NUL, as UTF-8. */
    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private String readString(String key, int index) {
        byte[] b = readBytes(() -> "metadata key " + GgufText.quote(key));
        String s = new String(b, StandardCharsets.UTF_8);
        if (recordUtf8 && s.indexOf('\uFFFD') >= 0 && !firstInvalidUtf8.containsKey(key) && !validUtf8BeforeNul(b)) {
            firstInvalidUtf8.put(key, index);
        }
        return s;
    }

    private static boolean validUtf8BeforeNul(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, n));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Bytes of one element of a value type; 8 for a string (its length); -1 for types gguf.cpp refuses. */
    private static int elementBytes(int type) {
        return switch (type) {
            case T_UINT8, T_INT8, T_BOOL -> 1;
            case T_UINT16, T_INT16 -> 2;
            case T_UINT32, T_INT32, T_FLOAT32 -> 4;
            case T_UINT64, T_INT64, T_FLOAT64, T_STRING -> 8;
            default -> -1;
        };
    }

    private Object readScalar(String key, int type, int index) {
        switch (type) {
            case T_UINT8: need(1); return Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, pos++));
            case T_INT8: need(1); return (int) file.get(ValueLayout.JAVA_BYTE, pos++);
            case T_UINT16: { need(2); int v = Short.toUnsignedInt(file.get(I16, pos)); pos += 2; return v; }
            case T_INT16: { need(2); int v = file.get(I16, pos); pos += 2; return v; }
            case T_UINT32: return Integer.toUnsignedLong(readI32());
            case T_INT32: return readI32();
            case T_FLOAT32: return Float.intBitsToFloat(readI32());
            case T_BOOL: { need(1); byte b = file.get(ValueLayout.JAVA_BYTE, pos++); return b != 0; }
            case T_STRING: return readString(key, index);
            case T_UINT64, T_INT64: return readI64();
            case T_FLOAT64: return Double.longBitsToDouble(readI64());
            default: throw bad("metadata key " + GgufText.quote(key) + " has invalid GGUF type " + type);
        }
    }

    private Object readArray(String key, int et, long n) {
        int eb = elementBytes(et);
        if (eb < 0) {
            throw bad("metadata key " + GgufText.quote(key) + " is an array of invalid GGUF type " + et);
        }
        // gguf.cpp's bounds, checked before allocating: at most 2^30 elements, all within the file
        if (n < 0 || n > MAX_ARRAY_ELEMENTS || n > remaining() / eb) {
            throw bad("metadata key " + GgufText.quote(key) + ": an array of " + Long.toUnsignedString(n) + " "
                    + typeName(et) + " does not fit in the file (" + remaining() + " bytes left; at most "
                    + MAX_ARRAY_ELEMENTS + " elements)");
        }
        int len = (int) n;
        // the Java array of the element type: integers up to 32 bits in int[] (uint32 as its bits,
        // unlike a scalar uint32, which is a long), 64-bit ones in long[]
        Object a = switch (et) {
            case T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32 -> new int[len];
            case T_FLOAT32 -> new float[len];
            case T_BOOL -> new boolean[len];
            case T_STRING -> new String[len];
            case T_UINT64, T_INT64 -> new long[len];
            default -> new double[len];
        };
        for (int i = 0; i < len; i++) {
            Array.set(a, i, et == T_UINT32 ? readI32() : readScalar(key, et, i));
        }
        return a;
    }
}
