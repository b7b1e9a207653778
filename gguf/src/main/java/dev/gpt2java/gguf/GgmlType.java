package dev.gpt2java.gguf;

/**
 * The ggml tensor types a GGUF file may name: every type of ggml.h's {@code enum ggml_type} that the
 * pinned ggml's gguf.cpp reads (ids 4, 5, 31-33 and 36-38 are removed types, which it refuses), with
 * the block geometry of ggml.c's {@code type_traits}: {@code blockSize} elements take
 * {@code blockBytes} bytes. The engines compute with a few of them; the others are known so that a
 * file holding them is measured as ggml measures it and refused by name.
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
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17),
    NVFP4(40, 64, 36),
    Q1_0(41, 128, 18),
    Q2_0(42, 64, 18);

    private static final GgmlType[] BY_ID = new GgmlType[43];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

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

    /** Whether the type holds integers (I8 .. I64): no weight is stored in one. */
    public boolean isInteger() {
        return this == I8 || this == I16 || this == I32 || this == I64;
    }

    /** ggml's name of the type ({@code "q4_0"}, {@code "q4_K"}). */
    public String ggmlName() {
        String n = name();
        return n.endsWith("_K") ? n.substring(0, n.length() - 2).toLowerCase(java.util.Locale.ROOT) + "_K"
                : n.toLowerCase(java.util.Locale.ROOT);
    }

    /** The type with ggml id {@code id}, or null when ggml's gguf.cpp would refuse it. */
    public static GgmlType ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
