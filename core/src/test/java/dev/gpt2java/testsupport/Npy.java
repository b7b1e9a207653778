package dev.gpt2java.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A NumPy {@code .npy} file (format 1.0 to 3.0), C order, little-endian {@code f4}, {@code f8},
 * {@code i4} or {@code i8}: what the fixtures hold. One reader for every test package.
 */
public record Npy(Path file, String descr, int[] shape, ByteBuffer data) {

    public static Npy read(Path file) throws IOException {
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
        String descr = field(file, header, "descr", "'([^']*)'");
        if (!field(file, header, "fortran_order", "(True|False)").equals("False")) {
            throw new IOException(file + ": Fortran order is not supported");
        }
        if (!descr.equals("<f4") && !descr.equals("<f8") && !descr.equals("<i4") && !descr.equals("<i8")) {
            throw new IOException(file + ": dtype " + descr + " is not supported");
        }
        String shapeText = field(file, header, "shape", "\\(([^)]*)\\)").trim();
        int[] shape = shapeText.isEmpty() ? new int[0]
                : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        ByteBuffer data = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        Npy npy = new Npy(file, descr, shape, data);
        if ((long) npy.size() * (descr.endsWith("8") ? 8 : 4) > data.remaining()) {
            throw new IOException(file + ": truncated");
        }
        return npy;
    }

    /** {@link #read}, with an IOException as unchecked (for fixtures that are committed). */
    public static Npy load(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(Path file, String header, String key, String valueRegex) throws IOException {
        Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valueRegex).matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no '" + key + "' in the .npy header " + header);
        }
        return m.group(1);
    }

    public int size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    public int[] ints() {
        IntToLongFunction v = switch (descr) {
            case "<i4" -> littleEndian().asIntBuffer()::get;
            case "<i8" -> littleEndian().asLongBuffer()::get;
            default -> throw new IllegalStateException(file + " holds " + descr + ", not integers");
        };
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(v.applyAsLong(i));
        }
        return out;
    }

    /** The values as float ({@code f8} rounded). */
    public float[] floats() {
        IntToDoubleFunction v = reals();
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) v.applyAsDouble(i);
        }
        return out;
    }

    /** The values as double ({@code f4} widened). */
    public double[] doubles() {
        return IntStream.range(0, size()).mapToDouble(reals()).toArray();
    }

    /** Value {@code i} of an {@code f4} or {@code f8} file, as a double (exact for both). */
    private IntToDoubleFunction reals() {
        return switch (descr) {
            case "<f4" -> littleEndian().asFloatBuffer()::get;
            case "<f8" -> littleEndian().asDoubleBuffer()::get;
            default -> throw new IllegalStateException(file + " holds " + descr + ", not floats");
        };
    }

    private ByteBuffer littleEndian() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A contiguous slice along the first axis: element {@code i} of the outermost dimension. */
    public float[] slice(int i) {
        int inner = size() / shape[0];
        return Arrays.copyOfRange(floats(), i * inner, (i + 1) * inner);
    }

    @Override
    public String toString() {
        return file.getFileName() + " " + descr + Arrays.toString(shape);
    }
}
