package dev.gpt2java.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-side .npy reader reads what numpy.save writes (header layout and C order). */
class NpyTest {

    static byte[] npy(String descr, String shape, ByteBuffer data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.write(data.array(), 0, data.position());
        return out.toByteArray();
    }

    @Test
    void readsFloat32MatrixInCOrder(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            b.putFloat(i * 0.5f);
        }
        Path f = dir.resolve("m.npy");
        Files.write(f, npy("<f4", "(2, 3)", b));
        Npy n = Npy.read(f);
        assertArrayEquals(new int[] {2, 3}, n.shape());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, n.floats());
        assertArrayEquals(new float[] {1.5f, 2, 2.5f}, n.slice(1));
    }

    @Test
    void readsInt32Vector(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(7).putInt(-1).putInt(50256);
        Path f = dir.resolve("v.npy");
        Files.write(f, npy("<i4", "(3,)", b));
        Npy n = Npy.read(f);
        assertArrayEquals(new int[] {3}, n.shape());
        assertArrayEquals(new int[] {7, -1, 50256}, n.ints());
        assertEquals(3, n.size());
    }
}
