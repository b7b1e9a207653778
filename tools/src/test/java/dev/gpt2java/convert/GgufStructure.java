package dev.gpt2java.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The raw structure of a GGUF file, read the way fixtures/make_convert_fixtures.py's gguf_structure
 * reads llama.cpp's files: every metadata key in order with its GGUF type and value (a FLOAT32 as its
 * bit pattern, an ARRAY as element type, count and the sha256 of its encoded elements), every tensor
 * with its type, shape and the sha256 of its bytes. Two files with equal structures hold the same keys,
 * values, tensors and data, in the same order.
 */
record GgufStructure(String fileSha256, long fileSize, List<Kv> metadata, List<TensorEntry> tensors) {

    /** A metadata entry: value is a String, Long (integers, float bits), Boolean, or an {@link Arr}. */
    record Kv(String key, String type, Object value) {
        @Override
        public String toString() {
            return key + " " + type + " " + value;
        }
    }

    record Arr(String type, long count, String sha256) {
    }

    record TensorEntry(String name, String type, List<Long> shape, String sha256) {
        @Override
        public String toString() {
            return name + " " + type + " " + shape + " " + sha256.substring(0, 12);
        }
    }

    private static final String[] TYPES = {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL",
            "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"};
    private static final int[] SIZES = {1, 1, 2, 2, 4, 4, 4, 1, -1, -1, 8, 8, 8};

    static GgufStructure read(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw new IOException(path + ": not GGUF");
        }
        if (b.getInt() != 3) {
            throw new IOException(path + ": not GGUF v3");
        }
        long nTensors = b.getLong();
        long nKv = b.getLong();
        List<Kv> meta = new ArrayList<>();
        long alignment = 32;
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            int t = b.getInt();
            Object v;
            if (t == 8) {
                v = string(b);
            } else if (t == 9) {
                int et = b.getInt();
                long n = b.getLong();
                int start = b.position();
                for (long k = 0; k < n; k++) {
                    if (et == 8) {
                        string(b);
                    } else {
                        b.position(b.position() + SIZES[et]);
                    }
                }
                v = new Arr(TYPES[et], n, sha256(all, start, b.position()));
            } else {
                v = switch (t) {
                    case 0 -> (long) (b.get() & 0xFF);
                    case 1 -> (long) b.get();
                    case 2 -> (long) (b.getShort() & 0xFFFF);
                    case 3 -> (long) b.getShort();
                    case 4, 6 -> b.getInt() & 0xFFFF_FFFFL;
                    case 5 -> (long) b.getInt();
                    case 7 -> b.get() != 0;
                    case 10, 11, 12 -> b.getLong();
                    default -> throw new IOException(path + ": metadata type " + t);
                };
            }
            if (key.equals("general.alignment")) {
                alignment = (Long) v;
            }
            meta.add(new Kv(key, TYPES[t], v));
        }
        record Info(String name, int type, List<Long> ne, long offset) {
        }
        List<Info> infos = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            String name = string(b);
            int nd = b.getInt();
            List<Long> ne = new ArrayList<>();
            for (int d = 0; d < nd; d++) {
                ne.add(b.getLong());
            }
            infos.add(new Info(name, b.getInt(), ne, b.getLong()));
        }
        long data = (b.position() + alignment - 1) / alignment * alignment;
        List<TensorEntry> tensors = new ArrayList<>();
        for (Info in : infos) {
            long n = 1;
            for (long d : in.ne()) {
                n *= d;
            }
            String type;
            long size;
            switch (in.type()) {
                case 0 -> { type = "F32"; size = 4 * n; }
                case 1 -> { type = "F16"; size = 2 * n; }
                case 2 -> { type = "Q4_0"; size = n / 32 * 18; }
                case 8 -> { type = "Q8_0"; size = n / 32 * 34; }
                case 30 -> { type = "BF16"; size = 2 * n; }
                default -> throw new IOException(path + ": tensor type " + in.type());
            }
            int start = Math.toIntExact(data + in.offset());
            tensors.add(new TensorEntry(in.name(), type, in.ne(), sha256(all, start, Math.toIntExact(start + size))));
        }
        return new GgufStructure(sha256(all, 0, all.length), all.length, meta, tensors);
    }

    /** The structure recorded in a reference file (one type's entry of fixtures/convert/reference/NAME.json). */
    @SuppressWarnings("unchecked")
    static GgufStructure fromJson(Map<String, Object> ref) {
        List<Kv> meta = new ArrayList<>();
        for (Object o : (List<Object>) ref.get("metadata")) {
            List<Object> e = (List<Object>) o;
            Object v = e.get(2);
            if (v instanceof Map<?, ?> m) {
                v = new Arr((String) m.get("type"), ((Number) m.get("count")).longValue(), (String) m.get("sha256"));
            } else if (v instanceof Number num) {
                v = num.longValue();
            }
            meta.add(new Kv((String) e.get(0), (String) e.get(1), v));
        }
        List<TensorEntry> tensors = new ArrayList<>();
        for (Object o : (List<Object>) ref.get("tensors")) {
            List<Object> e = (List<Object>) o;
            List<Long> shape = new ArrayList<>();
            for (Object d : (List<Object>) e.get(2)) {
                shape.add(((Number) d).longValue());
            }
            tensors.add(new TensorEntry((String) e.get(0), (String) e.get(1), shape, (String) e.get(3)));
        }
        return new GgufStructure((String) ref.get("file_sha256"), ((Number) ref.get("file_size")).longValue(), meta, tensors);
    }

    private static String string(ByteBuffer b) {
        int n = Math.toIntExact(b.getLong());
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] a, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a, from, to - from);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
