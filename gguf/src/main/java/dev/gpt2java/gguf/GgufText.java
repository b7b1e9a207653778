package dev.gpt2java.gguf;

import java.nio.charset.StandardCharsets;

/**
 * Text taken from a file, as it goes into a message: in double quotes, escaped, and cut, so that a
 * message is one printable line of bounded length whatever the file holds (docs/GGUF.md, "Messages").
 * The same rule as libgpt2's {@code gpt2_quote} (native/src/text.cpp) and core's
 * {@code dev.gpt2java.internal.FileText}, which cannot share this class (the inference artifact does not
 * depend on this module); GgufTextTest and FileTextTest pin the rule, HostileGgufTest holds both engines' messages to it.
 */
public final class GgufText {

    /** Most characters shown of the text (a code point counts one, an escape its length); the rest is cut. */
    public static final int MAX_SHOWN = 64;

    private GgufText() {
    }

    /**
     * {@code s} in double quotes: {@code "} and {@code \} escaped with {@code \}; control and invisible
     * characters (C0, DEL, C1, line and paragraph separators, zero-width and bidirectional marks, the
     * byte order mark, U+FFFD, which stands for bytes that were not UTF-8, and unpaired surrogates) as
     * {@code \}{@code uXXXX}; cut where the text shown would pass {@value #MAX_SHOWN} characters, with the full length in UTF-8
     * bytes after the closing quote: {@code "abc"... (100000 bytes)}.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(MAX_SHOWN + 24).append('"');
        int shown = 0;   // characters of output: one per code point shown as itself, an escape its length
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            boolean esc = escaped(cp);
            boolean q = cp == '"' || cp == '\\';
            int cost = esc ? 6 : q ? 2 : 1;
            if (shown + cost > MAX_SHOWN) {
                break;
            }
            shown += cost;
            i += Character.charCount(cp);
            if (esc) {
                b.append(String.format("\\u%04X", cp));
            } else {
                if (q) {
                    b.append('\\');
                }
                b.appendCodePoint(cp);
            }
        }
        b.append('"');
        if (i < s.length()) {
            b.append("... (").append(s.getBytes(StandardCharsets.UTF_8).length).append(" bytes)");
        }
        return b.toString();
    }

    /** Whether a message shows {@code cp} as an escape (native/src/text.cpp's list, and surrogates). */
    static boolean escaped(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFD || (cp >= 0xD800 && cp <= 0xDFFF);
    }
}
