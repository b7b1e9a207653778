package dev.gpt2java.jvm;

import dev.gpt2java.ModelShape;

import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.GgufFormatException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** GgufFile reads the converter's files (metadata of every kind, tensors, alignment) and refuses malformed ones by name. */
class GgufFileTest {

    @Test
    void readsMetadataTensorsAndTheDefaultAlignment() {
        try (GgufFile g = GgufFile.open(Fixtures.file("tiny-odd-heads", "model-q8_0.gguf"))) {
            assertEquals(3, g.version());
            assertEquals(32, g.alignment());
            assertEquals(0, g.dataOffset() % 32);
            assertEquals("gpt2", g.getString("general.architecture"));
            assertEquals(96, g.getLong("gpt2.embedding_length"));
            assertEquals(1e-5f, g.getFloat("gpt2.attention.layer_norm_epsilon"));
            assertEquals(1000, ((String[]) g.metadata().get("tokenizer.ggml.tokens")).length);
            int[] types = (int[]) g.metadata().get("tokenizer.ggml.token_type");
            assertEquals(3, types[999]);
            assertEquals(743, ((String[]) g.metadata().get("tokenizer.ggml.merges")).length);
            GgufFile.TensorInfo qkv = g.tensors().get("blk.0.attn_qkv.weight");
            assertArrayEquals(new long[] {96, 288}, qkv.shape());
            assertEquals(GgmlType.Q8_0, qkv.type());
            assertEquals(96L * 288 / 32 * 34, qkv.byteSize());
            assertEquals(GgmlType.F32, g.tensors().get("position_embd.weight").type());
        }
    }

    @Test
    void loadsTiedAndUntiedOutputs() {
        try (JvmModel tied = JvmModel.load(Fixtures.file("tiny-odd-heads", "model-f32.gguf"));
             JvmModel untied = JvmModel.load(Fixtures.file("small-untied", "model-f16.gguf"))) {
            assertTrue(tied.outputTied());
            assertFalse(untied.outputTied());
            assertEquals(new ModelShape(1000, 128, 96, 3, 2, 384, 1e-5f), tied.hparams());
            assertEquals(GgmlType.F16, untied.weightType());
        }
    }

    static Path corrupt(String name, UnaryOperator<byte[]> edit) throws IOException {
        byte[] b = Files.readAllBytes(Fixtures.file("tiny-odd-heads", "model-f32.gguf"));
        Path p = Fixtures.tmpDir().resolve(name + ".gguf");
        Files.write(p, edit.apply(b));
        return p;
    }

    static void assertRefusedNamingTheFile(Path p, String what) {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> JvmModel.load(p).close());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void badFilesAreRefusedWithAMessageNamingTheFile() throws IOException {
        assertRefusedNamingTheFile(corrupt("empty", b -> new byte[0]), "too short");
        assertRefusedNamingTheFile(corrupt("magic", b -> { b[0] = 'X'; return b; }), "bad magic");
        assertRefusedNamingTheFile(corrupt("version", b -> { b[4] = 9; return b; }), "version 9");
        assertRefusedNamingTheFile(corrupt("header-cut", b -> Arrays.copyOf(b, 2000)), "does not fit in the file");
        assertRefusedNamingTheFile(corrupt("data-cut", b -> Arrays.copyOf(b, b.length - 100)), "outside the data section");
        assertRefusedNamingTheFile(corrupt("huge-count", b -> {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(16, Long.MAX_VALUE / 2);
            return b;
        }), "implausible");
        assertRefusedNamingTheFile(corrupt("huge-key", b -> {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1L << 40);
            return b;
        }), "a string of 1099511627776 bytes (at most 1073741824)");
        assertRefusedNamingTheFile(corrupt("not-gpt2", b -> {
            String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            int i = s.indexOf("general.architecture");
            int v = i + "general.architecture".length() + 4 + 8; // type, then the string's length
            b[v] = 'X';
            return b;
        }), "general.architecture is \"Xpt2\", expected \"gpt2\"");
    }
}
