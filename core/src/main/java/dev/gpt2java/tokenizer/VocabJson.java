package dev.gpt2java.tokenizer;

import dev.gpt2java.internal.FileText;
import dev.gpt2java.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON shape a vocabulary file has: a flat object of string keys to non-negative integers
 * ({@code {"!": 0, "\"": 1, ..., "\u0120the": 262}}), read by the project's strict RFC 8259 reader
 * ({@link Json}: escapes and surrogate pairs decoded, duplicate keys, unpaired surrogates, raw control
 * characters and trailing commas refused with the line and column, a leading byte order mark skipped).
 * Refused here as well: anything but an object, and ids that are not integers in
 * {@code 0 .. Integer.MAX_VALUE}.
 */
final class VocabJson {

    private VocabJson() {
    }

    /**
     * The entries of the object, in file order.
     *
     * @throws IllegalArgumentException on anything else, with the line and column or the key
     */
    static Map<String, Integer> parse(String text) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Json.parseObject(text).entrySet()) {
            String key = FileText.quote(e.getKey());
            Object v = e.getValue();
            if (!(v instanceof Number)) {
                throw new IllegalArgumentException("the id of " + key + " is " + Json.typeName(v)
                        + ", expected an integer id");
            }
            if (!(v instanceof Long id)) {
                throw new IllegalArgumentException("the id of " + key + " (" + v + ") is not an integer");
            }
            if (id < 0) {
                throw new IllegalArgumentException("the id of " + key + " (" + id + ") is negative");
            }
            if (id > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the id of " + key + " (" + id + ") is too large");
            }
            ids.put(e.getKey(), id.intValue());
        }
        return ids;
    }
}
