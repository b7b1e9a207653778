package dev.gpt2java.inspect;

import dev.gpt2java.internal.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the labelled texts of a probe from a file, by its extension: JSON Lines ({@code .jsonl},
 * {@code .ndjson}: one object a line, blank lines skipped), tab-separated ({@code .tsv}) or CSV (any other
 * name; RFC 4180: a header row, fields in double quotes may hold commas, quotes doubled and line breaks).
 * The text and the label are the fields (columns) named {@code textField} and {@code labelField}; other
 * fields are ignored. A JSON label may be a number or a string.
 */
public final class LabelledTexts {

    private LabelledTexts() {
    }

    /**
     * @throws IllegalArgumentException naming the file, the row (line) and the field, for an empty file, a missing
     *                                  column or field, a row with too few fields, or a value that is not text
     *                                  (JSON: a label that is not a number or a string)
     * @throws IOException              if the file cannot be read
     */
    public static List<LabelledText> read(Path file, String textField, String labelField) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(textField, "textField");
        Objects.requireNonNull(labelField, "labelField");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<LabelledText> rows = name.endsWith(".jsonl") || name.endsWith(".ndjson")
                ? jsonLines(file, text, textField, labelField)
                : table(file, text, name.endsWith(".tsv") ? '\t' : ',', textField, labelField);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has no rows");
        }
        return rows;
    }

    private static List<LabelledText> jsonLines(Path file, String text, String textField, String labelField) {
        List<LabelledText> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            Map<String, Object> o;
            try {
                o = Json.parseObject(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            out.add(new LabelledText(jsonField(o, textField, where, false), jsonField(o, labelField, where, true)));
        }
        return out;
    }

    private static String jsonField(Map<String, Object> o, String field, String where, boolean numberOk) {
        if (!o.containsKey(field)) {
            throw new IllegalArgumentException(where + " has no field \"" + field + "\" (fields: " + String.join(", ", o.keySet()) + ")");
        }
        Object v = o.get(field);
        if (v instanceof String s) {
            return s;
        }
        if (numberOk && v instanceof Number n) {
            return n instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : n.toString();
        }
        throw new IllegalArgumentException(where + ": field \"" + field + "\" is " + Json.typeName(v) + ", not "
                + (numberOk ? "a number or a string" : "a string"));
    }

    private static List<LabelledText> table(Path file, String text, char sep, String textField, String labelField) {
        List<List<String>> records = records(file, text, sep);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " has no rows");
        }
        List<String> header = records.get(0);
        int t = header.indexOf(textField), l = header.indexOf(labelField);
        for (int[] col : new int[][] {{t, 0}, {l, 1}}) {
            if (col[0] < 0) {
                throw new IllegalArgumentException(file + " has no column \"" + (col[1] == 0 ? textField : labelField)
                        + "\" (its header: " + String.join(", ", header) + ")");
            }
        }
        List<LabelledText> out = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() == 1 && rec.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (rec.size() != header.size()) {
                throw new IllegalArgumentException(file + " row " + r + " has " + rec.size() + " fields, the header "
                        + header.size());
            }
            out.add(new LabelledText(rec.get(t), rec.get(l)));
        }
        return out;
    }

    /** The records of a CSV (RFC 4180) or TSV text. */
    static List<List<String>> records(Path file, String text, char sep) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0, n = text.length(), line = 1;
        boolean any = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && f.isEmpty()) {
                int start = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException(file + " line " + start + ": a quoted field is not closed");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            f.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    f.append(q);
                    i++;
                }
                if (i < n && text.charAt(i) != sep && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    throw new IllegalArgumentException(file + " line " + line + ": text after a quoted field");
                }
                any = true;
                continue;
            }
            if (c == sep) {
                rec.add(f.toString());
                f.setLength(0);
                any = true;
                i++;
            } else if (c == '\n' || c == '\r') {
                rec.add(f.toString());
                f.setLength(0);
                out.add(rec);
                rec = new ArrayList<>();
                any = false;
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                line++;
            } else {
                f.append(c);
                any = true;
                i++;
            }
        }
        if (any || !rec.isEmpty()) {
            rec.add(f.toString());
            out.add(rec);
        }
        // blank lines before the header are not a header
        while (!out.isEmpty() && out.get(0).size() == 1 && out.get(0).get(0).isEmpty()) {
            out.remove(0);
        }
        return out;
    }
}
