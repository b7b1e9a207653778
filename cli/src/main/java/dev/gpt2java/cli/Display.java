package dev.gpt2java.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntPredicate;

/** How text and tokens are shown: on one line with backslash escapes, in markup (SVG, HTML). */
final class Display {

    private Display() {
    }

    /**
     * {@code s} on one line: {@code \n}, {@code \r}, {@code \t}, other control characters as
     * {@code \}{@code u00XX}, the backslash doubled, and {@code sep} (if not 0) escaped too.
     */
    static String escape(String s, char sep) {
        return backslashed(s, sep, Character::isISOControl);
    }

    /**
     * {@code s} with backslash escapes: {@code \n}, {@code \r}, {@code \t}, the backslash doubled,
     * {@code quote} (if not 0) after a backslash, and the characters {@code asUnicode} picks as
     * {@code \}{@code uXXXX} (JSON's escapes, and those of Java strings).
     */
    static String backslashed(String s, char quote, IntPredicate asUnicode) {
        return replaced(s, BACKSLASHED, (b, c) -> {
            if (c == quote && quote != 0) {
                b.append('\\').append(c);
            } else if (asUnicode.test(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        });
    }

    private static final Map<Character, String> BACKSLASHED = Map.of('\n', "\\n", '\r', "\\r", '\t', "\\t", '\\', "\\\\");

    /**
     * Text for XML or HTML content and attribute values: {@code & < > "} as entities, the characters
     * XML 1.0 forbids (controls other than tab, U+FFFE, U+FFFF) dropped.
     */
    static String markup(String s) {
        return replaced(s, ENTITIES, (b, c) -> {
            if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF || c == '\t') {
                b.append(c);
            }
        });
    }

    private static final Map<Character, String> ENTITIES = Map.of('&', "&amp;", '<', "&lt;", '>', "&gt;", '"', "&quot;");

    /** What {@link #replaced} does with a character its table does not list. */
    private interface Other {
        void append(StringBuilder b, char c);
    }

    /** {@code s} with each character in {@code table} replaced by its entry, and each other one handed to {@code other}. */
    private static String replaced(String s, Map<Character, String> table, Other other) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = table.get(c);
            if (r != null) {
                b.append(r);
            } else {
                other.append(b, c);
            }
        }
        return b.toString();
    }

    /**
     * One token's bytes as text: the well-formed UTF-8 as characters, every other byte (a character
     * cut by the token boundary) as {@code \xNN}; escaped as {@link #escape}.
     */
    static String tokenBytes(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 4);
        StringBuilder b = new StringBuilder();
        while (true) {
            CoderResult r = d.decode(in, out, true);
            out.flip();
            b.append(escape(out.toString(), (char) 0));
            out.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    b.append(String.format("\\x%02x", in.get() & 0xff));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return b.toString();
    }
}
