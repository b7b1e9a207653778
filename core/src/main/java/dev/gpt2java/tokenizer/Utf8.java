package dev.gpt2java.tokenizer;

/**
 * UTF-8 both ways, lenient the way Python's {@code bytes.decode("utf-8", errors="replace")} is: each
 * maximal subpart of an ill-formed sequence becomes one U+FFFD (Unicode's recommended practice,
 * chapter 3, "U+FFFD Substitution of Maximal Subparts"). The JDK's decoder differs on some inputs
 * ({@code ED A0 80} is one U+FFFD there, three in Python), hence this class.
 */
final class Utf8 {

    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /**
     * Decodes {@code bytes[from, to)} into {@code out}. Where the bytes end inside a sequence that is
     * well-formed so far: with {@code holdIncomplete}, stops before it and returns its start (the
     * caller keeps those bytes for later); else writes one U+FFFD for it. Returns the index where
     * decoding stopped ({@code to} unless a tail was held back).
     */
    static int decode(byte[] bytes, int from, int to, StringBuilder out, boolean holdIncomplete) {
        int i = from;
        outer:
        while (i < to) {
            int b0 = bytes[i] & 0xff;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) {
                    lo = 0xA0;      // no overlong forms
                } else if (b0 == 0xED) {
                    hi = 0x9F;      // no surrogates
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) {
                    lo = 0x90;      // no overlong forms
                } else if (b0 == 0xF4) {
                    hi = 0x8F;      // nothing above U+10FFFF
                }
            } else {
                out.append(REPLACEMENT); // continuation byte, C0, C1, F5..FF
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> need);
            int j = i + 1;
            for (int k = 0; k < need; k++, j++) {
                if (j >= to) {
                    if (holdIncomplete) {
                        return i;
                    }
                    out.append(REPLACEMENT);
                    return to;
                }
                int b = bytes[j] & 0xff;
                if (b < lo || b > hi) {
                    out.append(REPLACEMENT);
                    i = j;
                    continue outer;
                }
                cp = cp << 6 | b & 0x3F;
                lo = 0x80;
                hi = 0xBF;
            }
            out.appendCodePoint(cp);
            i = j;
        }
        return to;
    }

    /** {@code bytes} decoded leniently (ill-formed parts and an unfinished tail become U+FFFD). */
    static String decode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        decode(bytes, 0, bytes.length, sb, false);
        return sb.toString();
    }

    /** Number of UTF-8 bytes of {@code text[from, to)}, an unpaired surrogate counting as U+FFFD. */
    static int length(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Writes the UTF-8 of {@code text[from, to)} at {@code out[0..]}, returning the length; an unpaired
     * surrogate is written as U+FFFD (what tiktoken does), so every string has an encoding. {@code out}
     * must hold {@link #length} bytes.
     */
    static int encode(String text, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    out[n++] = (byte) (0xF0 | cp >> 18);
                    out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    out[n++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    out[n++] = (byte) 0xEF;
                    out[n++] = (byte) 0xBF;
                    out[n++] = (byte) 0xBD;
                }
            } else {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return n;
    }
}
