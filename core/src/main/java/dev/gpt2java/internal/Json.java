package dev.gpt2java.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader, for the files of a Hugging Face model folder and for vocabularies: objects as
 * {@code Map<String, Object>} in file order, arrays as {@code List<Object>}, strings, {@code true}/{@code false}
 * as Boolean, {@code null} as {@link #NULL}, integers that fit a long as {@link Long}, other numbers as
 * {@link Double}. Python's {@code NaN}, {@code Infinity} and {@code -Infinity} are read as doubles too, since
 * {@code json.dump} writes them into config files. Duplicate keys, trailing commas, unpaired surrogates and
 * nesting deeper than {@value #MAX_DEPTH} are refused with the line and column.
 */
public final class Json {

    /** JSON {@code null} (maps and lists here never hold Java null). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    public static final int MAX_DEPTH = 256;

    private final String s;
    private int i;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON value, with nothing but whitespace after it.
     *
     * @throws IllegalArgumentException with the line and column of the first error
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            p.i = 1;
        }
        Object v = p.value();
        p.ws();
        if (p.i < text.length()) {
            throw p.error(p.i, "unexpected " + describe(text.charAt(p.i)) + " after the value");
        }
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, found " + typeName(v));
        }
        return (Map<String, Object>) v;
    }

    public static String typeName(Object v) {
        if (v instanceof Map) {
            return "an object";
        } else if (v instanceof List) {
            return "an array";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v instanceof Number) {
            return "a number";
        }
        return "null";
    }

    private Object value() {
        ws();
        if (i >= s.length()) {
            throw error(i, "unexpected end, expected a value");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            case 'N' -> literal("NaN", Double.NaN);
            case 'I' -> literal("Infinity", Double.POSITIVE_INFINITY);
            default -> {
                if (c == '-' && s.startsWith("-Infinity", i)) {
                    yield literal("-Infinity", Double.NEGATIVE_INFINITY);
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error(i, "unexpected " + describe(c) + ", expected a value");
            }
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error(i, "invalid literal, expected " + word);
        }
        i += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        elements('}', () -> {
            ws();
            int keyAt = i;
            if (peek() != '"') {
                throw error(i, "expected a string key");
            }
            String key = string();
            ws();
            expect(':');
            Object v = value();
            if (map.putIfAbsent(key, v) != null) {
                throw error(keyAt, "duplicate key \"" + key + "\"");
            }
        });
        return Collections.unmodifiableMap(map);
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        elements(']', () -> list.add(value()));
        return Collections.unmodifiableList(list);
    }

    /**
     * The members of an object or the elements of an array, from its opening bracket to {@code close}:
     * none, or ones that {@code element} reads, separated by commas.
     */
    private void elements(char close, Runnable element) {
        enter();
        i++; // '{' or '['
        ws();
        if (peek() == close) {
            i++;
            depth--;
            return;
        }
        String expected = "',' or '" + close + "'";
        while (true) {
            element.run();
            ws();
            char c = next(expected);
            if (c == close) {
                break;
            }
            if (c != ',') {
                throw error(i - 1, "expected " + expected + ", found " + describe(c));
            }
        }
        depth--;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error(i, "nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        int start = i;
        i++; // '"'
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error(start, "unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw error(i - 1, "raw control character " + describe(c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            int escAt = i - 1;
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
        }
        String out = sb.toString();
        for (int k = 0; k < out.length(); k++) {
            char c = out.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < out.length() && Character.isLowSurrogate(out.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw error(start, "unpaired surrogate U+" + Integer.toHexString(c).toUpperCase() + " in a string");
            }
        }
        return out;
    }

    private char hex4(int escAt) {
        if (i + 4 > s.length()) {
            throw error(escAt, "truncated \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            char h = s.charAt(i + k);
            int d = Character.digit(h, 16);
            if (d < 0 || h > 'f') {
                throw error(escAt, "invalid \\u escape");
            }
            v = v << 4 | d;
        }
        i += 4;
        return (char) v;
    }

    private Object number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        int intStart = i;
        digits();
        if (i == intStart) {
            throw error(start, "invalid number");
        }
        if (i - intStart > 1 && s.charAt(intStart) == '0') {
            throw error(start, "leading zero in a number");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            i++;
            int fracStart = i;
            digits();
            if (i == fracStart) {
                throw error(start, "invalid number (no digits after '.')");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            int expStart = i;
            digits();
            if (i == expStart) {
                throw error(start, "invalid number (no exponent digits)");
            }
        }
        String text = s.substring(start, i);
        if (integer) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // too large for a long: as a double, as Python would compare it
            }
        }
        return Double.parseDouble(text);
    }

    private void digits() {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
    }

    private void ws() {
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
}
