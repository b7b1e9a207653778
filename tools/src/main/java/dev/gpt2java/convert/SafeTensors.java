package dev.gpt2java.convert;

import dev.gpt2java.internal.Json;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code .safetensors} file, mapped read-only: an 8-byte little-endian header length N, N bytes of
 * JSON ({@code {"name": {"dtype": "F32", "shape": [768, 2304], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {...}}}), then the data, each tensor's bytes at [8 + N + begin, 8 + N + end), row-major,
 * little-endian.
 *
 * <p>Everything the header claims is checked before use: its length against the file, the JSON, each
 * entry's fields, that {@code end - begin} is the byte size of the shape and dtype, that the ranges lie
 * inside the data and do not overlap. A bad file raises {@link ConversionException} naming it; nothing is
 * read outside the mapping. Close to unmap.
 */
final class SafeTensors implements AutoCloseable {

    /** The safetensors dtypes, with their element sizes (bits for the sub-byte ones are not needed). */
    enum DType {
        BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4),
        F32(4), F64(8), I64(8), U64(8);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        static DType of(String name) {
            for (DType d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** One tensor: its shape (row-major, the last dimension contiguous) and where its bytes are. */
    record Tensor(String name, DType dtype, long[] shape, long begin, long end) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        String shapeString() {
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < shape.length; k++) {
                sb.append(k == 0 ? "" : ", ").append(shape[k]);
            }
            return sb.append(']').toString();
        }
    }

    /** The largest header read (the safetensors library's own limit is 100 MB). */
    static final long MAX_HEADER = 100_000_000L;

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Tensor> tensors;
    private final Map<String, Object> metadata;

    private SafeTensors(Path path, Arena arena, MemorySegment data, Map<String, Tensor> tensors,
            Map<String, Object> metadata) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and checks {@code path}.
     *
     * @throws ConversionException if it is not a well-formed safetensors file
     * @throws IOException         if it cannot be read
     */
    static SafeTensors open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw ConversionException.of(path, "not a safetensors file: " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw ConversionException.of(path, "not a safetensors file, or truncated: the header claims " + Long.toUnsignedString(n)
                        + " bytes of JSON, the file has " + (size - 8) + " after the length" + (n > MAX_HEADER ? " (limit " + MAX_HEADER + ")" : ""));
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8, path);
            headerBuf.flip();
            String header;
            try {
                header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf).toString();
            } catch (CharacterCodingException e) {
                throw ConversionException.of(path, "the safetensors header is not UTF-8 text");
            }
            Map<String, Object> json;
            try {
                json = Json.parseObject(header);
            } catch (IllegalArgumentException e) {
                throw ConversionException.of(path, "the safetensors header is not valid JSON: " + e.getMessage());
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, Tensor> ts = new LinkedHashMap<>();
            Map<String, Object> meta = Map.of();
            for (Map.Entry<String, Object> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> m)) {
                        throw ConversionException.of(path, "__metadata__ is " + Json.typeName(e.getValue()) + ", not an object");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> mm = (Map<String, Object>) m;
                    meta = mm;
                    continue;
                }
                ts.put(e.getKey(), entry(path, e.getKey(), e.getValue(), dataSize));
            }
            // no two tensors share bytes
            List<Tensor> byBegin = new ArrayList<>(ts.values());
            byBegin.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
            for (int k = 1; k < byBegin.size(); k++) {
                Tensor a = byBegin.get(k - 1);
                Tensor b = byBegin.get(k);
                if (b.begin() < a.end()) {
                    throw ConversionException.of(path, "tensors " + a.name() + " and " + b.name() + " overlap (data_offsets ["
                            + a.begin() + ", " + a.end() + ") and [" + b.begin() + ", " + b.end() + "))");
                }
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment seg = dataSize == 0 ? MemorySegment.ofArray(new byte[0])
                        : ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize, arena);
                return new SafeTensors(path, arena, seg, Collections.unmodifiableMap(ts), meta);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path path) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw ConversionException.of(path, "truncated safetensors file");
            }
            pos += r;
        }
    }

    private static Tensor entry(Path path, String name, Object value, long dataSize) throws ConversionException {
        String where = "tensor " + name;
        if (!(value instanceof Map<?, ?> m)) {
            throw ConversionException.of(path, where + ": expected an object, found " + Json.typeName(value));
        }
        Object dt = m.get("dtype");
        if (!(dt instanceof String dtName)) {
            throw ConversionException.of(path, where + ": no dtype string");
        }
        DType dtype = DType.of(dtName);
        if (dtype == null) {
            throw ConversionException.of(path, where + ": unknown dtype " + dtName);
        }
        Object sh = m.get("shape");
        if (!(sh instanceof List<?> dims)) {
            throw ConversionException.of(path, where + ": no shape array");
        }
        if (dims.size() > 8) {
            throw ConversionException.of(path, where + ": " + dims.size() + " dimensions");
        }
        long[] shape = new long[dims.size()];
        long bytes = dtype.bytes;
        for (int k = 0; k < shape.length; k++) {
            if (!(dims.get(k) instanceof Long d) || d < 0) {
                throw ConversionException.of(path, where + ": shape entry " + dims.get(k) + " is not a non-negative integer");
            }
            shape[k] = d;
            try {
                bytes = Math.multiplyExact(bytes, d);
            } catch (ArithmeticException e) {
                throw ConversionException.of(path, where + ": the shape's byte size overflows");
            }
        }
        Object off = m.get("data_offsets");
        if (!(off instanceof List<?> offs) || offs.size() != 2 || !(offs.get(0) instanceof Long begin)
                || !(offs.get(1) instanceof Long end)) {
            throw ConversionException.of(path, where + ": data_offsets is not a pair of integers");
        }
        if (begin < 0 || end < begin || end > dataSize) {
            throw ConversionException.of(path, where + ": data_offsets [" + begin + ", " + end + "] out of range: the data section has "
                    + dataSize + " bytes (truncated file?)");
        }
        if (end - begin != bytes) {
            throw ConversionException.of(path, where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, but " + dtName + " " + Arrays.toString(shape) + " needs " + bytes);
        }
        return new Tensor(name, dtype, shape, begin, end);
    }

    Path path() {
        return path;
    }

    /** Tensors in header order. */
    Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} object (empty when absent). */
    Map<String, Object> metadata() {
        return metadata;
    }

    /** The bytes of {@code t} (a slice of the mapping: valid until {@link #close}). */
    MemorySegment bytes(Tensor t) {
        return data.asSlice(t.begin(), t.end() - t.begin());
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
