package dev.gpt2java.gguf;

/**
 * The ggml tensor types a GGUF file may name (ids from ggml.h's {@code enum ggml_type}), with their
 * block geometry: {@code blockSize} elements take {@code blockBytes} bytes. Only F32, F16, Q8_0 and
 * Q4_0 can be computed with here; the others are known so that a file holding them is measured
 * correctly and refused by name.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),   // fp16 d, 16 bytes of nibbles
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),   // fp16 d, 32 int8
    Q8_1(9, 32, 36),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** ggml's id of this type. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for plain types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** The type with ggml id {@code id}, or null when unknown. */
    public static GgmlType ofId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
