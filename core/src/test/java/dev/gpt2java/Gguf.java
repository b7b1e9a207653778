package dev.gpt2java;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A small GGUF (v3, little-endian) reader and writer for tests: reads a valid file into key-values and
 * tensors, lets a test change them, and writes the result, valid or not. The writer does not check
 * anything; {@link #write} writes what it is given.
 */
final class Gguf {

    static final int T_U8 = 0, T_I8 = 1, T_U16 = 2, T_I16 = 3, T_U32 = 4, T_I32 = 5, T_F32 = 6, T_BOOL = 7,
            T_STRING = 8, T_ARRAY = 9, T_U64 = 10, T_I64 = 11, T_F64 = 12;

    /** A typed value; arrays hold {@link Arr}. */
    record Value(int type, Object value) {
    }

    record Arr(int elementType, List<Object> elements) {
    }

    record Kv(String key, Value value) {
    }

    /** A tensor: name, dims (ne0 first), ggml type, data bytes; {@code offsetOverride} &gt;= 0 forces its offset. */
    record Tensor(String name, long[] dims, int type, byte[] data, long offsetOverride) {
        Tensor(String name, long[] dims, int type, byte[] data) {
            this(name, dims, type, data, -1);
        }

        Tensor withDims(long... d) {
            return new Tensor(name, d, type, data, offsetOverride);
        }

        Tensor withType(int t) {
            return new Tensor(name, dims, t, data, offsetOverride);
        }

        Tensor withData(byte[] d) {
            return new Tensor(name, dims, type, d, offsetOverride);
        }

        Tensor withOffset(long o) {
            return new Tensor(name, dims, type, data, o);
        }
    }

    int version = 3;
    int alignment = 32;
    final List<Kv> kvs = new ArrayList<>();
    final List<Tensor> tensors = new ArrayList<>();

    // where the sections of the file read were (for byte-level corruption)
    long endOfKvs;
    long endOfTensorInfos;
    long dataStart;
    long dataEnd;

    // ---------------------------------------------------------------------------------------------
    // reading
    // ---------------------------------------------------------------------------------------------

    static Gguf read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        Gguf g = new Gguf();
        if (b.getInt() != 0x46554747) { // "GGUF"
            throw new IOException(file + ": not GGUF");
        }
        g.version = b.getInt();
        long nTensors = b.getLong();
        long nKv = b.getLong();
        for (long i = 0; i < nKv; i++) {
            String key = readString(b);
            int type = b.getInt();
            Value v = new Value(type, readValue(b, type));
            g.kvs.add(new Kv(key, v));
            if (key.equals("general.alignment")) {
                g.alignment = ((Number) v.value()).intValue();
            }
        }
        g.endOfKvs = b.position();
        List<long[]> infos = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            names.add(readString(b));
            int nDims = b.getInt();
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = b.getLong();
            }
            int type = b.getInt();
            long offset = b.getLong();
            long[] info = new long[nDims + 2];
            info[0] = type;
            info[1] = offset;
            System.arraycopy(dims, 0, info, 2, nDims);
            infos.add(info);
        }
        g.endOfTensorInfos = b.position();
        g.dataStart = align(b.position(), g.alignment);
        g.dataEnd = g.dataStart;
        for (int i = 0; i < infos.size(); i++) {
            long[] info = infos.get(i);
            long[] dims = Arrays.copyOfRange(info, 2, info.length);
            int type = (int) info[0];
            long size = dataSize(type, dims);
            byte[] data = new byte[Math.toIntExact(size)];
            b.get(Math.toIntExact(g.dataStart + info[1]), data);
            g.tensors.add(new Tensor(names.get(i), dims, type, data));
            g.dataEnd = Math.max(g.dataEnd, g.dataStart + info[1] + size);
        }
        return g;
    }

    private static String readString(ByteBuffer b) {
        int n = Math.toIntExact(b.getLong());
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Object readValue(ByteBuffer b, int type) {
        return switch (type) {
            case T_U8, T_I8 -> b.get();
            case T_U16, T_I16 -> b.getShort();
            case T_U32, T_I32 -> b.getInt();
            case T_F32 -> b.getFloat();
            case T_BOOL -> b.get() != 0;
            case T_STRING -> readString(b);
            case T_U64, T_I64 -> b.getLong();
            case T_F64 -> b.getDouble();
            case T_ARRAY -> {
                int et = b.getInt();
                long n = b.getLong();
                List<Object> el = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    el.add(readValue(b, et));
                }
                yield new Arr(et, el);
            }
            default -> throw new IllegalArgumentException("GGUF value type " + type);
        };
    }

    /** Bytes of a tensor of ggml type {@code type}: F32, F16, BF16 and the 32-wide Q types. */
    static long dataSize(int type, long[] dims) {
        long ne = 1;
        for (long d : dims) {
            ne *= d;
        }
        return switch (type) {
            case 0 -> ne * 4;            // F32
            case 1, 30 -> ne * 2;        // F16, BF16
            case 2 -> ne / 32 * 18;      // Q4_0
            case 3 -> ne / 32 * 20;      // Q4_1
            case 6 -> ne / 32 * 22;      // Q5_0
            case 7 -> ne / 32 * 24;      // Q5_1
            case 8 -> ne / 32 * 34;      // Q8_0
            default -> throw new IllegalArgumentException("tensor type " + type);
        };
    }

    static long align(long x, int a) {
        return (x + a - 1) / a * a;
    }

    // ---------------------------------------------------------------------------------------------
    // editing
    // ---------------------------------------------------------------------------------------------

    Value get(String key) {
        return kvs.stream().filter(k -> k.key().equals(key)).map(Kv::value).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key " + key));
    }

    Gguf set(String key, Value v) {
        for (int i = 0; i < kvs.size(); i++) {
            if (kvs.get(i).key().equals(key)) {
                kvs.set(i, new Kv(key, v));
                return this;
            }
        }
        kvs.add(new Kv(key, v));
        return this;
    }

    Gguf remove(String key) {
        if (!kvs.removeIf(k -> k.key().equals(key))) {
            throw new IllegalArgumentException("no key " + key);
        }
        return this;
    }

    Tensor tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name));
    }

    Gguf removeTensor(String name) {
        if (!tensors.removeIf(t -> t.name().equals(name))) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return this;
    }

    Gguf editTensor(String name, UnaryOperator<Tensor> edit) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                tensors.set(i, edit.apply(tensors.get(i)));
                return this;
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    Gguf copy() {
        Gguf g = new Gguf();
        g.version = version;
        g.alignment = alignment;
        g.kvs.addAll(kvs);
        g.tensors.addAll(tensors);
        return g;
    }

    // ---------------------------------------------------------------------------------------------
    // writing
    // ---------------------------------------------------------------------------------------------

    void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    byte[] toBytes() {
        Out o = new Out();
        o.i32(0x46554747);
        o.i32(version);
        o.i64(tensors.size());
        o.i64(kvs.size());
        for (Kv kv : kvs) {
            o.str(kv.key());
            o.i32(kv.value().type());
            writeValue(o, kv.value().type(), kv.value().value());
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            o.str(t.name());
            o.i32(t.dims().length);
            for (long d : t.dims()) {
                o.i64(d);
            }
            o.i32(t.type());
            long off = t.offsetOverride() >= 0 ? t.offsetOverride() : offset;
            o.i64(off);
            offsets.add(offset);
            offset = align(offset + t.data().length, alignment);
        }
        o.pad(alignment);
        for (int i = 0; i < tensors.size(); i++) {
            o.bytes(tensors.get(i).data());
            o.pad(alignment);
        }
        return o.toByteArray();
    }

    private static void writeValue(Out o, int type, Object v) {
        switch (type) {
            case T_U8, T_I8 -> o.u8(((Number) v).intValue());
            case T_U16, T_I16 -> o.i16(((Number) v).intValue());
            case T_U32, T_I32 -> o.i32(((Number) v).intValue());
            case T_F32 -> o.f32(((Number) v).floatValue());
            case T_BOOL -> o.u8(((Boolean) v) ? 1 : 0);
            case T_STRING -> o.str((String) v);
            case T_U64, T_I64 -> o.i64(((Number) v).longValue());
            case T_F64 -> o.f64(((Number) v).doubleValue());
            case T_ARRAY -> {
                Arr a = (Arr) v;
                o.i32(a.elementType());
                o.i64(a.elements().size());
                for (Object e : a.elements()) {
                    writeValue(o, a.elementType(), e);
                }
            }
            default -> throw new IllegalArgumentException("GGUF value type " + type);
        }
    }

    static Value u32(long v) {
        return new Value(T_U32, (int) v);
    }

    static Value str(String s) {
        return new Value(T_STRING, s);
    }

    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer b8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) {
            out.write(v);
        }

        void i16(int v) {
            b8.clear();
            b8.putShort((short) v);
            out.write(b8.array(), 0, 2);
        }

        void i32(int v) {
            b8.clear();
            b8.putInt(v);
            out.write(b8.array(), 0, 4);
        }

        void i64(long v) {
            b8.clear();
            b8.putLong(v);
            out.write(b8.array(), 0, 8);
        }

        void f32(float v) {
            i32(Float.floatToRawIntBits(v));
        }

        void f64(double v) {
            i64(Double.doubleToRawLongBits(v));
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            out.writeBytes(b);
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        void pad(int a) {
            while (out.size() % a != 0) {
                out.write(0);
            }
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
