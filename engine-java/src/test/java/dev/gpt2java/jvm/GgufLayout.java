package dev.gpt2java.jvm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A valid GGUF v3 file taken apart for mutation: where each field of it lies (so that a test can
 * overwrite one field, or cut the file at a field's boundary), and its key/values and tensors as
 * parts that {@link #write} puts back together with offsets recomputed (so that a test can change
 * what the file says and keep it well-formed). Written for the hostile-input tests only; it trusts its
 * input, which is one of the fixtures.
 */
final class GgufLayout {

    /** One key/value: where its fields start, and its value's bytes (type included) as stored. */
    record Kv(String key, int type, int elementType, long count, int keyLenPos, int typePos, int elementTypePos,
              int countPos, int valuePos, int endPos, byte[] raw) {
    }

    /** One tensor info and its data. */
    record Tensor(String name, long[] dims, int type, int nameLenPos, int nDimsPos, int dimsPos, int typePos,
                  int offsetPos, byte[] data) {
        Tensor with(String n, long[] d, int t, byte[] b) {
            return new Tensor(n, d, t, -1, -1, -1, -1, -1, b);
        }
    }

    final byte[] bytes;
    final List<Kv> kvs = new ArrayList<>();
    final List<Tensor> tensors = new ArrayList<>();
    /** Every boundary between two fields (header, keys, values, array elements, tensor infos, data). */
    final TreeSet<Integer> boundaries = new TreeSet<>();
    int dataStart;
    final List<Integer> tensorDataPos = new ArrayList<>();

    GgufLayout(byte[] file) {
        this.bytes = file;
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        boundaries.add(4);
        boundaries.add(8);
        long nTensors = b.getLong();
        boundaries.add(16);
        long nKv = b.getLong();
        boundaries.add(24);
        for (long i = 0; i < nKv; i++) {
            int keyLenPos = b.position();
            String key = str(b);
            int typePos = b.position();
            int type = b.getInt();
            boundaries.add(b.position());
            int et = -1, etPos = -1, countPos = -1;
            long count = 1;
            if (type == 9) {
                etPos = b.position();
                et = b.getInt();
                countPos = b.position();
                count = b.getLong();
                boundaries.add(etPos + 4);
                boundaries.add(countPos + 8);
            }
            int valuePos = b.position();
            for (long k = 0; k < count; k++) {
                skip(b, type == 9 ? et : type);
                if (k < 2 || k == count - 1) {
                    boundaries.add(b.position());
                }
            }
            int end = b.position();
            kvs.add(new Kv(key, type, et, count, keyLenPos, typePos, etPos, countPos, valuePos, end,
                    Arrays.copyOfRange(file, typePos, end)));
        }
        List<long[]> offsets = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            int nameLenPos = b.position();
            String name = str(b);
            int nDimsPos = b.position();
            int nd = b.getInt();
            boundaries.add(b.position());
            int dimsPos = b.position();
            long[] dims = new long[nd];
            for (int d = 0; d < nd; d++) {
                dims[d] = b.getLong();
                boundaries.add(b.position());
            }
            int typePos = b.position();
            int type = b.getInt();
            boundaries.add(b.position());
            int offsetPos = b.position();
            long off = b.getLong();
            boundaries.add(b.position());
            offsets.add(new long[] {off});
            tensors.add(new Tensor(name, dims, type, nameLenPos, nDimsPos, dimsPos, typePos, offsetPos, null));
        }
        dataStart = (int) align(b.position(), 32);
        boundaries.add(dataStart);
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            int pos = (int) (dataStart + offsets.get(i)[0]);
            int size = (int) dataSize(t.type, t.dims);
            tensorDataPos.add(pos);
            boundaries.add(pos);
            boundaries.add(pos + size);
            tensors.set(i, new Tensor(t.name, t.dims, t.type, t.nameLenPos, t.nDimsPos, t.dimsPos, t.typePos, t.offsetPos,
                    Arrays.copyOfRange(file, pos, pos + size)));
        }
        boundaries.remove(file.length);
    }

    Kv kv(String key) {
        return kvs.stream().filter(k -> k.key.equals(key)).findFirst().orElseThrow();
    }

    Tensor tensor(String name) {
        return tensors.stream().filter(t -> t.name.equals(name)).findFirst().orElseThrow();
    }

    // ---- writing ----

    /** One key/value to write: the key's bytes and the value's (type included). */
    record Entry(byte[] key, byte[] raw) {
        Entry(String key, byte[] raw) {
            this(key.getBytes(StandardCharsets.UTF_8), raw);
        }
    }

    List<Entry> entries() {
        List<Entry> e = new ArrayList<>();
        for (Kv k : kvs) {
            e.add(new Entry(k.key, k.raw));
        }
        return e;
    }

    List<Tensor> tensorList() {
        return new ArrayList<>(tensors);
    }

    /** A GGUF v3 of these entries and tensors, data aligned to {@code alignment}, offsets contiguous. */
    static byte[] write(List<Entry> entries, List<Tensor> tensors, int alignment) {
        Out o = new Out();
        o.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
        o.i32(3);
        o.i64(tensors.size());
        o.i64(entries.size());
        for (Entry e : entries) {
            o.i64(e.key.length);
            o.raw(e.key);
            o.raw(e.raw);
        }
        long off = 0;
        for (Tensor t : tensors) {
            byte[] n = t.name.getBytes(StandardCharsets.UTF_8);
            o.i64(n.length);
            o.raw(n);
            o.i32(t.dims.length);
            for (long d : t.dims) {
                o.i64(d);
            }
            o.i32(t.type);
            o.i64(off);
            off = align(off + t.data.length, alignment);
        }
        o.pad(alignment);
        for (Tensor t : tensors) {
            o.raw(t.data);
            o.pad(alignment);
        }
        return o.toByteArray();
    }

    byte[] write(List<Entry> entries, List<Tensor> tensors) {
        return write(entries, tensors, 32);
    }

    // ---- encoding values (type included) ----

    static byte[] u32(long v) {
        return new Out().i32(4).i32((int) v).toByteArray();
    }

    static byte[] i32(int v) {
        return new Out().i32(5).i32(v).toByteArray();
    }

    static byte[] u64(long v) {
        return new Out().i32(10).i64(v).toByteArray();
    }

    static byte[] f32(float v) {
        return new Out().i32(6).i32(Float.floatToRawIntBits(v)).toByteArray();
    }

    static byte[] f64(double v) {
        return new Out().i32(12).i64(Double.doubleToRawLongBits(v)).toByteArray();
    }

    static byte[] str(byte[] s) {
        return new Out().i32(8).i64(s.length).raw(s).toByteArray();
    }

    static byte[] i32Array(int elementType, int[] v) {
        Out o = new Out().i32(9).i32(elementType).i64(v.length);
        for (int x : v) {
            o.i32(x);
        }
        return o.toByteArray();
    }

    static byte[] strArray(List<byte[]> v) {
        Out o = new Out().i32(9).i32(8).i64(v.size());
        for (byte[] s : v) {
            o.i64(s.length).raw(s);
        }
        return o.toByteArray();
    }

    /** The strings of array {@code key}, as bytes. */
    List<byte[]> strings(String key) {
        Kv k = kv(key);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(k.valuePos);
        List<byte[]> out = new ArrayList<>();
        for (long i = 0; i < k.count; i++) {
            byte[] s = new byte[(int) b.getLong()];
            b.get(s);
            out.add(s);
        }
        return out;
    }

    int[] ints(String key) {
        Kv k = kv(key);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(k.valuePos);
        int[] out = new int[(int) k.count];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt();
        }
        return out;
    }

    // ---- helpers ----

    static long align(long x, long a) {
        return (x + a - 1) / a * a;
    }

    static long dataSize(int type, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return switch (type) {
            case 0 -> n * 4;
            case 1, 30 -> n * 2;
            case 2 -> n / 32 * 18;
            case 8 -> n / 32 * 34;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private static String str(ByteBuffer b) {
        byte[] s = new byte[(int) b.getLong()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer b, int type) {
        switch (type) {
            case 0, 1, 7 -> b.position(b.position() + 1);
            case 2, 3 -> b.position(b.position() + 2);
            case 4, 5, 6 -> b.position(b.position() + 4);
            case 10, 11, 12 -> b.position(b.position() + 8);
            case 8 -> {
                long len = b.getLong();
                b.position(b.position() + (int) len);
            }
            default -> throw new IllegalArgumentException("type " + type);
        }
    }

    static final class Out {
        private final ByteArrayOutputStream o = new ByteArrayOutputStream();

        Out raw(byte[] b) {
            o.writeBytes(b);
            return this;
        }

        Out i32(int v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Out i64(long v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Out pad(int a) {
            while (o.size() % a != 0) {
                o.write(0);
            }
            return this;
        }

        byte[] toByteArray() {
            return o.toByteArray();
        }
    }
}
