package dev.gpt2java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file (format 1.0 to 3.0), C order, little-endian {@code f4}, {@code f8},
 * {@code i4} or {@code i8}: enough for the fixtures. Values are held as float (f4/f8) or long (i4/i8).
 */
record Npy(Path file, String descr, int[] shape, float[] floatData, long[] longData) {

    static Npy read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = b.get() & 0xff;
        b.get(); // minor
        int headerLen = major == 1 ? (b.getShort() & 0xffff) : b.getInt();
        byte[] hb = new byte[headerLen];
        b.get(hb);
        String header = new String(hb, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([^']*)'");
        if (!field(header, "fortran_order", "(True|False)").equals("False")) {
            throw new IOException(file + ": Fortran order is not supported");
        }
        String shapeText = field(header, "shape", "\\(([^)]*)\\)").trim();
        int[] shape = shapeText.isEmpty() ? new int[0]
                : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int n = Math.toIntExact(count);
        return switch (descr) {
            case "<f4" -> {
                float[] f = new float[n];
                b.asFloatBuffer().get(f);
                yield new Npy(file, descr, shape, f, null);
            }
            case "<f8" -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) b.getDouble();
                }
                yield new Npy(file, descr, shape, f, null);
            }
            case "<i4" -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = b.getInt();
                }
                yield new Npy(file, descr, shape, null, l);
            }
            case "<i8" -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = b.getLong();
                }
                yield new Npy(file, descr, shape, null, l);
            }
            default -> throw new IOException(file + ": dtype " + descr + " is not supported");
        };
    }

    private static String field(String header, String key, String valueRegex) throws IOException {
        Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valueRegex).matcher(header);
        if (!m.find()) {
            throw new IOException("no '" + key + "' in .npy header " + header);
        }
        return m.group(1);
    }

    int size() {
        return floatData != null ? floatData.length : longData.length;
    }

    int[] ints() {
        if (longData == null) {
            throw new IllegalStateException(file + " holds " + descr + ", not integers");
        }
        return Arrays.stream(longData).mapToInt(Math::toIntExact).toArray();
    }

    float[] floats() {
        if (floatData == null) {
            throw new IllegalStateException(file + " holds " + descr + ", not floats");
        }
        return floatData;
    }

    /** A contiguous slice along the first axis: element {@code i} of the outermost dimension. */
    float[] slice(int i) {
        int inner = size() / shape[0];
        return Arrays.copyOfRange(floats(), i * inner, (i + 1) * inner);
    }

    @Override
    public String toString() {
        return file.getFileName() + " " + descr + Arrays.toString(shape);
    }
}
