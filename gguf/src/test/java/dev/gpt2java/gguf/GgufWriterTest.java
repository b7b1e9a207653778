package dev.gpt2java.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenReadsBackWithTheSameTypesValuesAndBytes() throws IOException {
        float[] a = {1.5f, -2.25f, 3e-3f, 65504f, 7f, 8f};
        float[] h = {0.1f, -0.2f, 1024.5f, 1e-4f};
        byte[] raw = new byte[34 * 2];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7);
        }
        Path file = dir.resolve("sub/x.gguf");
        new GgufWriter()
                .putString("general.architecture", "gpt2")
                .putU32("gpt2.block_count", 4_000_000_000L)
                .putI32("a.i32", -5)
                .putF32("a.f32", 1e-5f)
                .putBool("a.bool", true)
                .putU64("a.u64", 1L << 40)
                .putStrings("a.strings", List.of("Ġthe", "", "é"))
                .putI32s("a.ints", new int[] {1, -2, 3})
                .putF32s("a.floats", new float[] {0.5f})
                .addF32("t.f32", new long[] {3, 2}, a)
                .addF16("t.f16", new long[] {4}, h)
                .addTensor("t.q8", GgmlType.Q8_0, new long[] {32, 2}, MemorySegment.ofArray(raw))
                .write(file);

        try (GgufFile g = GgufFile.open(file)) {
            assertEquals(3, g.version());
            var m = g.metadata();
            assertEquals(List.of("general.architecture", "gpt2.block_count", "a.i32", "a.f32", "a.bool", "a.u64",
                    "a.strings", "a.ints", "a.floats"), List.copyOf(m.keySet()));
            assertEquals("gpt2", m.get("general.architecture"));
            assertEquals(4_000_000_000L, m.get("gpt2.block_count"));
            assertEquals(-5, m.get("a.i32"));
            assertEquals(1e-5f, m.get("a.f32"));
            assertEquals(true, m.get("a.bool"));
            assertEquals(1L << 40, m.get("a.u64"));
            assertArrayEquals(new String[] {"Ġthe", "", "é"}, (String[]) m.get("a.strings"));
            assertArrayEquals(new int[] {1, -2, 3}, (int[]) m.get("a.ints"));
            assertArrayEquals(new float[] {0.5f}, (float[]) m.get("a.floats"));

            var f32 = g.tensors().get("t.f32");
            assertArrayEquals(new long[] {3, 2}, f32.shape());
            assertEquals(GgmlType.F32, f32.type());
            assertEquals(0, (g.dataOffset() + f32.offset()) % 32);
            assertArrayEquals(a, floats(g, "t.f32"));

            var f16 = g.tensors().get("t.f16");
            assertEquals(GgmlType.F16, f16.type());
            MemorySegment s = g.tensorData("t.f16");
            for (int i = 0; i < h.length; i++) {
                short bits = s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i);
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(h[i])), Float.float16ToFloat(bits));
            }
            var q8 = g.tensors().get("t.q8");
            assertEquals(GgmlType.Q8_0, q8.type());
            assertEquals(0, (g.dataOffset() + q8.offset()) % 32);
            assertArrayEquals(raw, g.tensorData("t.q8").toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void aLargerAlignmentIsHonoured() throws IOException {
        Path file = dir.resolve("a.gguf");
        new GgufWriter().putU32("general.alignment", 64)
                .addF32("x", new long[] {3}, new float[] {1, 2, 3})
                .addF32("y", new long[] {1}, new float[] {4})
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertEquals(64, g.alignment());
            assertEquals(0, g.dataOffset() % 64);
            assertEquals(64, g.tensors().get("y").offset());
            assertArrayEquals(new float[] {4}, floats(g, "y"));
        }
    }

    @Test
    void misuseIsRefusedBeforeAnythingIsWritten() {
        var w = new GgufWriter().putU32("k", 1);
        assertThrows(IllegalArgumentException.class, () -> w.putString("k", "again"));
        assertThrows(IllegalArgumentException.class, () -> w.putU32("u", -1));
        assertThrows(IllegalArgumentException.class, () -> w.putU32("general.alignment", 48));
        assertThrows(IllegalArgumentException.class, () -> w.addF32("t", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.Q8_0, new long[] {31}, d -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("r", GgmlType.F32, new long[] {2}, MemorySegment.ofArray(new byte[4])));
        w.addF32("t", new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.addF32("t", new long[] {1}, new float[1]));
    }

    @Test
    void aFailingTensorSourceLeavesNoFileBehind() throws IOException {
        Path file = dir.resolve("f.gguf");
        var w = new GgufWriter().addTensor("x", GgmlType.F32, new long[] {4}, d -> {
            throw new IOException("source failed");
        });
        assertThrows(IOException.class, () -> w.write(file));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    private static float[] floats(GgufFile g, String name) {
        return g.tensorData(name).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    }
}
