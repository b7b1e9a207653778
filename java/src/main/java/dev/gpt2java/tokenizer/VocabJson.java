package dev.gpt2java.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for the one JSON shape a vocabulary file has: a flat object of string keys to
 * non-negative integers ({@code {"!": 0, "\"": 1, ..., "\u0120the": 262}}). RFC 8259 syntax: string
 * escapes {@code \" \\ \/ \b \f \n \r \t \}{@code uXXXX} (a surrogate pair as two escapes), no raw
 * control characters in strings, no trailing commas, nothing after the object; a leading byte order
 * mark is skipped. Refused as well: duplicate keys, unpaired surrogates, numbers that are not
 * integers in {@code 0 .. Integer.MAX_VALUE}.
 */
final class VocabJson {

    private final String s;
    private int i;

    private VocabJson(String s) {
        this.s = s;
    }

    /**
     * The entries of the object, in file order.
     *
     * @throws IllegalArgumentException on anything else, with the line and column
     */
    static Map<String, Integer> parse(String text) {
        VocabJson p = new VocabJson(text);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            p.i = 1;
        }
        return p.object();
    }

    private Map<String, Integer> object() {
        Map<String, Integer> map = new LinkedHashMap<>();
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                skipSpace();
                int keyAt = i;
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                int value = integer();
                if (map.putIfAbsent(key, value) != null) {
                    throw error(keyAt, "duplicate key " + quote(key));
                }
                skipSpace();
                char c = next("',' or '}'");
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw error(i - 1, "expected ',' or '}', found " + describe(c));
                }
            }
        }
        skipSpace();
        if (i < s.length()) {
            throw error(i, "unexpected " + describe(s.charAt(i)) + " after the object");
        }
        return map;
    }

    private String string() {
        expect('"');
        StringBuilder sb = null;
        int runStart = i;
        while (true) {
            if (i >= s.length()) {
                throw error(i, "unterminated string");
            }
            char c = s.charAt(i);
            if (c == '"') {
                String out = sb == null ? s.substring(runStart, i) : sb.append(s, runStart, i).toString();
                i++;
                checkSurrogates(out, runStart - 1);
                return out;
            }
            if (c < 0x20) {
                throw error(i, "raw control character " + describe(c) + " in a string (escape it)");
            }
            if (c != '\\') {
                i++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, runStart, i);
            int escAt = i;
            i++;
            char e = next("an escape");
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4(escAt));
                default -> throw error(escAt, "invalid escape \\" + e);
            }
            runStart = i;
        }
    }

    private char hex4(int escAt) {
        if (i + 4 > s.length()) {
            throw error(escAt, "truncated \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0 || s.charAt(i + k) > 'f') {
                throw error(escAt, "invalid \\u escape " + quote(s.substring(escAt, i + 4)));
            }
            v = v << 4 | d;
        }
        i += 4;
        return (char) v;
    }

    /** Surrogates in a decoded key must come in pairs (JSON escapes can write lone ones). */
    private void checkSurrogates(String key, int keyAt) {
        for (int k = 0; k < key.length(); k++) {
            char c = key.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < key.length() && Character.isLowSurrogate(key.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw error(keyAt, "unpaired surrogate U+" + Integer.toHexString(c).toUpperCase() + " in key");
            }
        }
    }

    private int integer() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') {
            throw error(i, "negative id");
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE) {
                throw error(start, "id too large");
            }
            i++;
        }
        if (i == start) {
            throw error(i, "expected an integer id, found " + (i < s.length() ? describe(s.charAt(i)) : "the end"));
        }
        if (i - start > 1 && s.charAt(start) == '0') {
            throw error(start, "leading zero in a number");
        }
        if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            throw error(start, "id is not an integer");
        }
        return (int) v;
    }

    private void skipSpace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : -1;
    }

    private char next(String expected) {
        if (i >= s.length()) {
            throw error(i, "unexpected end, expected " + expected);
        }
        return s.charAt(i++);
    }

    private void expect(char c) {
        char got = next("'" + c + "'");
        if (got != c) {
            throw error(i - 1, "expected '" + c + "', found " + describe(got));
        }
    }

    private IllegalArgumentException error(int at, String message) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < at && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new IllegalArgumentException("line " + line + ", column " + col + ": " + message);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    static String quote(String key) {
        StringBuilder sb = new StringBuilder("\"");
        key.codePoints().forEach(cp -> {
            boolean visible = switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                     Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
                case Character.SPACE_SEPARATOR -> cp == ' ';
                default -> true;
            };
            if (!visible) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                if (cp == '"' || cp == '\\') {
                    sb.append('\\');
                }
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
