package dev.gpt2java.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metadata array of each GGUF element type reads as the Java array of that type: integers of up to
 * 32 bits as int[] (uint8 and uint16 zero-extended, uint32 as its bits), 64-bit integers as long[],
 * float32, bool, string and float64 as float[], boolean[], String[] and double[]; nested arrays are
 * refused, as ggml refuses them. The file is written byte by byte here, as the GGUF spec lays it out (GgufWriter writes only
 * some of these types).
 */
class GgufArraysTest {

    @TempDir
    Path dir;

    private final ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

    private void string(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(u.length).put(u);
    }

    /** The key and the array header (element type, count); the elements follow. */
    private void array(String key, int elementType, int n) {
        string(key);
        b.putInt(9).putInt(elementType).putLong(n);
    }

    /** The bytes so far, padded to the default alignment (32) where the (empty) data section starts. */
    private Path write(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(b.array(), (b.position() + 31) / 32 * 32));
        return file;
    }

    @Test
    void everyElementTypeReadsAsItsJavaArray() throws IOException {
        b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(12);
        array("u8", 0, 2);
        b.put((byte) 1).put((byte) 0xff);
        array("i8", 1, 2);
        b.put((byte) -1).put((byte) 127);
        array("u16", 2, 2);
        b.putShort((short) 0xffff).putShort((short) 2);
        array("i16", 3, 2);
        b.putShort((short) -2).putShort((short) 300);
        array("u32", 4, 2);
        b.putInt(0xffff_fffe).putInt(7);
        array("i32", 5, 2);
        b.putInt(-3).putInt(1 << 30);
        array("f32", 6, 2);
        b.putFloat(0.5f).putFloat(-1e-5f);
        array("bool", 7, 3);
        b.put((byte) 1).put((byte) 0).put((byte) 2);
        array("str", 8, 2);
        string("Ġthe");
        string("");
        array("u64", 10, 1);
        b.putLong(-1L);
        array("i64", 11, 2);
        b.putLong(-5L).putLong(1L << 40);
        array("f64", 12, 1);
        b.putDouble(Math.PI);
        Path file = write("arrays.gguf");

        try (GgufFile g = GgufFile.open(file)) {
            Map<String, Object> m = g.metadata();
            assertArrayEquals(new int[] {1, 255}, (int[]) m.get("u8"));
            assertArrayEquals(new int[] {-1, 127}, (int[]) m.get("i8"));
            assertArrayEquals(new int[] {65535, 2}, (int[]) m.get("u16"));
            assertArrayEquals(new int[] {-2, 300}, (int[]) m.get("i16"));
            assertArrayEquals(new int[] {0xffff_fffe, 7}, (int[]) m.get("u32"));
            assertArrayEquals(new int[] {-3, 1 << 30}, (int[]) m.get("i32"));
            assertArrayEquals(new float[] {0.5f, -1e-5f}, (float[]) m.get("f32"));
            assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) m.get("bool"));
            assertArrayEquals(new String[] {"Ġthe", ""}, (String[]) m.get("str"));
            assertArrayEquals(new long[] {-1L}, (long[]) m.get("u64"));
            assertArrayEquals(new long[] {-5L, 1L << 40}, (long[]) m.get("i64"));
            assertArrayEquals(new double[] {Math.PI}, (double[]) m.get("f64"));
            assertEquals(12, m.size());
        }
    }

    /** ggml's gguf.cpp refuses an array of arrays ("invalid GGUF type"); so does this reader. */
    @Test
    void nestedArraysAreRefusedAsGgmlRefusesThem() throws IOException {
        b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(1);
        array("nested", 9, 2);
        b.putInt(5).putLong(1).putInt(42);
        b.putInt(8).putLong(1);
        string("x");
        Path file = write("nested.gguf");

        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("\"nested\" is an array of invalid GGUF type 9"), e.getMessage());
    }
}
