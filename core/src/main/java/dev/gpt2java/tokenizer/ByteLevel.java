package dev.gpt2java.tokenizer;

/**
 * GPT-2's byte-to-unicode table ({@code bytes_to_unicode} in OpenAI's {@code encoder.py}): every byte
 * stands for one printable character, so that a vocabulary of byte strings can be written as text.
 * The printable bytes {@code ! .. ~}, {@code ¡ .. ¬}, {@code ® .. ÿ} stand for themselves; the other 68
 * bytes, in increasing order, for U+0100, U+0101, ... (so the space 0x20 is {@code Ġ} U+0120 and the
 * newline 0x0A is {@code Ċ} U+010A).
 */
final class ByteLevel {

    /** The character of each byte: {@code CHAR[b & 0xff]}. */
    private static final char[] CHAR = new char[256];
    /** The byte of each character below {@code BYTE.length}, or -1. */
    private static final int[] BYTE = new int[256 + 68];

    static {
        java.util.Arrays.fill(BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            CHAR[b] = c;
            BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character that stands for byte {@code b} (its low 8 bits). */
    static char charOf(int b) {
        return CHAR[b & 0xff];
    }

    /** The byte that character {@code c} stands for, or -1 if {@code c} is not in the table. */
    static int byteOf(char c) {
        return c < BYTE.length ? BYTE[c] : -1;
    }

    /** The bytes {@code text} stands for, or null if a character of it is not in the table. */
    static byte[] toBytes(String text) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            int b = byteOf(text.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** The byte-to-unicode form of {@code bytes}. */
    static String toText(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = CHAR[bytes[i] & 0xff];
        }
        return new String(out);
    }
}
