package dev.gpt2java.convert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.Map;

/**
 * The YAML front matter of a Hugging Face model card ({@code README.md} starting with a {@code ---} line,
 * up to the next {@code ---} line), read as far as the converter needs it: top-level keys whose value is
 * a scalar (plain, {@code 'single'} or {@code "double"} quoted), a flow sequence of scalars
 * ({@code [en, fr]}) or a block sequence of scalars ({@code - exbert} lines). Keys with any other value
 * (nested mappings such as {@code model-index}, sequences of mappings, block scalars {@code |} {@code >})
 * are listed in {@link #skipped()} and otherwise ignored. A null value ({@code ~}, {@code null}, nothing)
 * is kept as a key mapped to null.
 *
 * <p>Like llama.cpp's gguf-py (which reads the same block with PyYAML), a {@code - no} item is taken as
 * the string "no" and tabs as two spaces.
 */
final class ModelCard {

    private final Map<String, Object> values;
    private final List<String> skipped;

    private ModelCard(Map<String, Object> values, List<String> skipped) {
        this.values = values;
        this.skipped = skipped;
    }

    static final ModelCard EMPTY = new ModelCard(Map.of(), List.of());

    /** Keys in file order, to a String, a {@code List<String>} or null. */
    Map<String, Object> values() {
        return values;
    }

    /** Top-level keys whose values were not read (nested structures). */
    List<String> skipped() {
        return skipped;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Object get(String key) {
        return values.get(key);
    }

    /** The front matter of {@code readme}'s text; {@link #EMPTY} when there is none. */
    static ModelCard parse(String readme) {
        List<String> lines = readme.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals("---")) {
            return EMPTY;
        }
        StringBuilder yaml = new StringBuilder();
        for (int k = 1; k < lines.size(); k++) {
            if (lines.get(k).equals("---")) {
                break;
            }
            yaml.append(lines.get(k)).append('\n');
        }
        String text = yaml.toString().replace("- no\n", "- \"no\"\n").replace("\t", "  ");
        return new Reader(text.split("\n", -1)).read();
    }

    private static final class Reader {
        private final String[] lines;
        private int at;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();

        Reader(String[] lines) {
            this.lines = lines;
        }

        ModelCard read() {
            while (at < lines.length) {
                String line = lines[at];
                if (blank(line) || indent(line) > 0) {
                    at++; // blank, comment, or the body of a skipped key
                    continue;
                }
                int colon = keyColon(line);
                if (colon < 0) {
                    at++;
                    continue;
                }
                String key = unquote(line.substring(0, colon).strip());
                String rest = stripComment(line.substring(colon + 1)).strip();
                at++;
                Object value;
                if (!rest.isEmpty()) {
                    value = inline(rest);
                } else {
                    value = block();
                }
                if (value == SKIP) {
                    skipped.add(key);
                    values.remove(key);
                } else {
                    values.put(key, value);
                }
            }
            return new ModelCard(Collections.unmodifiableMap(values), List.copyOf(skipped));
        }

        private static final Object SKIP = new Object();

        /** The value on the key's own line. */
        private Object inline(String rest) {
            if (rest.startsWith("|") || rest.startsWith(">") || rest.startsWith("{") || rest.startsWith("&")
                    || rest.startsWith("*") || rest.startsWith("!")) {
                return SKIP;
            }
            if (rest.startsWith("[")) {
                if (!rest.endsWith("]")) {
                    return SKIP;
                }
                String inner = rest.substring(1, rest.length() - 1).strip();
                List<String> items = new ArrayList<>();
                if (inner.isEmpty()) {
                    return items;
                }
                for (String item : splitFlow(inner)) {
                    String v = scalar(item.strip());
                    if (v == null && !isNull(item.strip())) {
                        return SKIP;
                    }
                    if (v != null) {
                        items.add(v);
                    }
                }
                return Collections.unmodifiableList(items);
            }
            String v = scalar(rest);
            if (v == null && !isNull(rest)) {
                return SKIP;
            }
            return v;
        }

        /** The lines after a key with nothing on its line: a block sequence of scalars, or something skipped. */
        private Object block() {
            List<String> items = new ArrayList<>();
            boolean any = false;
            while (at < lines.length) {
                String line = lines[at];
                if (blank(line)) {
                    at++;
                    continue;
                }
                String t = line.strip();
                if (!(t.equals("-") || t.startsWith("- "))) {
                    if (indent(line) == 0) {
                        break; // the next key
                    }
                    // a nested mapping
                    while (at < lines.length && (blank(lines[at]) || indent(lines[at]) > 0)) {
                        at++;
                    }
                    return SKIP;
                }
                int itemIndent = indent(line);
                String item = stripComment(t.substring(1)).strip();
                at++;
                // a continuation deeper than the dash: the item is a mapping or a multi-line scalar
                if (at < lines.length && !blank(lines[at]) && indent(lines[at]) > itemIndent
                        && !lines[at].strip().startsWith("- ")) {
                    skipRest();
                    return SKIP;
                }
                if (item.isEmpty() || keyColon(item) >= 0 || item.startsWith("[") || item.startsWith("{")) {
                    skipRest();
                    return SKIP;
                }
                String v = scalar(item);
                if (v == null && !isNull(item)) {
                    skipRest();
                    return SKIP;
                }
                if (v != null) {
                    items.add(v);
                }
                any = true;
            }
            return any ? Collections.unmodifiableList(items) : null;
        }

        private void skipRest() {
            while (at < lines.length && (blank(lines[at]) || indent(lines[at]) > 0 || lines[at].startsWith("-"))) {
                at++;
            }
        }

        private static boolean blank(String line) {
            String t = line.strip();
            return t.isEmpty() || t.startsWith("#");
        }

        private static int indent(String line) {
            int n = 0;
            while (n < line.length() && line.charAt(n) == ' ') {
                n++;
            }
            return n;
        }

        /**
         * The first index from {@code from} on, outside quotes, at which {@code at} holds; -1 if none. A quote
         * opens anywhere, or (for a key) only at the start of the line.
         */
        private static int findUnquoted(String s, int from, boolean quoteOnlyAtStart, IntPredicate at) {
            char quote = 0;
            for (int k = from; k < s.length(); k++) {
                char c = s.charAt(k);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if ((c == '"' || c == '\'') && (!quoteOnlyAtStart || k == 0)) {
                    quote = c;
                } else if (at.test(k)) {
                    return k;
                }
            }
            return -1;
        }

        /** Whether a comment starts at k: a '#' at the start or after a space. */
        private static boolean commentAt(String s, int k) {
            return s.charAt(k) == '#' && (k == 0 || s.charAt(k - 1) == ' ');
        }

        /** The index of a mapping colon (followed by a space or the end), outside quotes; -1 if none. */
        private static int keyColon(String line) {
            int k = findUnquoted(line, 0, true, i -> (line.charAt(i) == ':'
                    && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) || (i > 0 && commentAt(line, i)));
            return k >= 0 && line.charAt(k) == ':' ? k : -1;
        }

        private static String stripComment(String s) {
            int k = findUnquoted(s, 0, false, i -> commentAt(s, i));
            return k < 0 ? s : s.substring(0, k);
        }

        private static List<String> splitFlow(String s) {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int k; (k = findUnquoted(s, start, false, i -> s.charAt(i) == ',')) >= 0; start = k + 1) {
                out.add(s.substring(start, k));
            }
            out.add(s.substring(start));
            return out;
        }

        private static boolean isNull(String s) {
            return s.isEmpty() || s.equals("~") || s.equals("null") || s.equals("Null") || s.equals("NULL");
        }

        /** A scalar's text; null for a null scalar or one this reader does not take (e.g. a bad quote). */
        private static String scalar(String s) {
            if (isNull(s)) {
                return null;
            }
            if (s.startsWith("\"")) {
                if (s.length() < 2 || !s.endsWith("\"")) {
                    return null;
                }
                String inner = s.substring(1, s.length() - 1);
                if (inner.contains("\\")) {
                    return inner.replace("\\\"", "\"").replace("\\\\", "\\");
                }
                return inner;
            }
            if (s.startsWith("'")) {
                if (s.length() < 2 || !s.endsWith("'")) {
                    return null;
                }
                return s.substring(1, s.length() - 1).replace("''", "'");
            }
            return s;
        }

        private static String unquote(String key) {
            String v = scalar(key);
            return v == null ? key : v;
        }
    }
}
