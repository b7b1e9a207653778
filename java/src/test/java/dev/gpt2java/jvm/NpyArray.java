package dev.gpt2java.jvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal .npy reader (version 1-3, C order, little-endian <f4, <f8, <i4) for the fixtures. */
record NpyArray(String dtype, int[] shape, ByteBuffer data) {

    static NpyArray read(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get() != (byte) 0x93 || b.get() != 'N' || b.get() != 'U' || b.get() != 'M' || b.get() != 'P'
                || b.get() != 'Y') {
            throw new IOException(p + ": not a .npy file");
        }
        int major = b.get();
        b.get();
        int hlen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[hlen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException(p + ": unsupported header " + header);
        }
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        return new NpyArray(d.group(1), shape, b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    int[] ints() {
        if (!dtype.equals("<i4")) {
            throw new IllegalStateException("dtype " + dtype);
        }
        int[] a = new int[data.remaining() / 4];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(a);
        return a;
    }

    float[] floats() {
        if (!dtype.equals("<f4")) {
            throw new IllegalStateException("dtype " + dtype);
        }
        float[] a = new float[data.remaining() / 4];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        return a;
    }
}
