package dev.gpt2java.tokenizer;

/**
 * GPT-2's pre-tokenizer: splits text into the pieces that BPE then encodes one by one. A hand-written
 * scanner for OpenAI's pattern (the same in {@code encoder.py}, tiktoken's {@code r50k_base} and
 * JTokkit), with its exact semantics:
 *
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 *
 * <p>The alternatives are tried in order at each position (leftmost-first, as a backtracking regex
 * does). Character classes, by Unicode general category as the JDK knows it (the same tables as
 * {@code java.util.regex} with {@code UNICODE_CHARACTER_CLASS}, which JTokkit uses):
 * <ul>
 *   <li>{@code \p{L}}: Lu, Ll, Lt, Lm, Lo;</li>
 *   <li>{@code \p{N}}: Nd, Nl, No (so {@code ²}, {@code ½} and Roman numerals are numbers);</li>
 *   <li>{@code \s}: Unicode White_Space: Zs, Zl, Zp, U+0009..U+000D and U+0085 (not U+200B or
 *       U+FEFF, which are Cf; not U+001C..U+001F);</li>
 *   <li>everything else, unpaired surrogates included, is "other".</li>
 * </ul>
 * Contractions are case-sensitive ({@code 'S} is "other" then a letter); the optional prefix is the
 * ASCII space U+0020 only. Code points above the BMP are read whole from their surrogate pairs.
 *
 * <p>How {@code \s+(?!\S)} behaves: a run of whitespace that ends the text is one piece; a run of two
 * or more followed by a non-space gives up its last character, which then starts the next piece
 * ({@code " world"} keeps its space; {@code "\n"} before a word is a piece of its own).
 */
final class PreTokenizer {

    /** Receives each piece as {@code text[start, end)}. */
    @FunctionalInterface
    interface Sink {
        void piece(int start, int end);
    }

    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;

    private static final byte[] LATIN1 = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LATIN1[c] = classify(c);
        }
    }

    private PreTokenizer() {
    }

    /** The class of code point {@code cp}: {@link #LETTER}, {@link #NUMBER}, {@link #SPACE} or {@link #OTHER}. */
    static byte classOf(int cp) {
        return cp < 256 ? LATIN1[cp] : classify(cp);
    }

    private static byte classify(int cp) {
        if (cp >= 0x09 && cp <= 0x0D || cp == 0x85) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> OTHER;
        };
    }

    /** The class of the code point that starts at {@code text[i]} (a lone surrogate is {@link #OTHER}). */
    private static byte classAt(String text, int i, int end) {
        char c = text.charAt(i);
        if (c < 256) {
            return LATIN1[c];
        }
        if (Character.isHighSurrogate(c) && i + 1 < end) {
            char d = text.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return classify(Character.toCodePoint(c, d));
            }
        }
        return classify(c);
    }

    /** The end of the run of class {@code cls} that starts at {@code i}. */
    private static int runEnd(String text, int i, int end, byte cls) {
        while (i < end) {
            char c = text.charAt(i);
            if (c < 256) {
                if (LATIN1[c] != cls) {
                    return i;
                }
                i++;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (classify(Character.toCodePoint(c, text.charAt(i + 1))) != cls) {
                    return i;
                }
                i += 2;
            } else {
                if (classify(c) != cls) {
                    return i;
                }
                i++;
            }
        }
        return end;
    }

    /** Splits {@code text[start, end)} into pieces, in order; they cover the range exactly. */
    static void split(String text, int start, int end, Sink sink) {
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            // 's|'t|'re|'ve|'m|'ll|'d
            if (c == '\'' && i + 1 < end) {
                char d = text.charAt(i + 1);
                if (d == 's' || d == 't' || d == 'm' || d == 'd') {
                    sink.piece(i, i + 2);
                    i += 2;
                    continue;
                }
                if (i + 2 < end) {
                    char e = text.charAt(i + 2);
                    if ((d == 'r' || d == 'v') && e == 'e' || d == 'l' && e == 'l') {
                        sink.piece(i, i + 3);
                        i += 3;
                        continue;
                    }
                }
            }
            // ' ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+': a space joins the run that follows it
            int runStart = i;
            byte cls;
            if (c == ' ') {
                cls = i + 1 < end ? classAt(text, i + 1, end) : SPACE;
                if (cls != SPACE) {
                    runStart = i + 1;
                }
            } else {
                cls = classAt(text, i, end);
            }
            if (cls != SPACE) {
                int j = runEnd(text, runStart, end, cls);
                sink.piece(i, j);
                i = j;
                continue;
            }
            // '\s+(?!\S)|\s+': White_Space characters are all in the BMP, one char each
            int j = runEnd(text, i, end, SPACE);
            if (j < end && j - i >= 2) {
                j--; // leave the last space to the piece that follows
            }
            sink.piece(i, j);
            i = j;
        }
    }
}
