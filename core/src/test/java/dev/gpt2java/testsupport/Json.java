package dev.gpt2java.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixtures' JSON, as the tests read it: the project's strict reader ({@code dev.gpt2java.internal.Json})
 * with every number as a Double and JSON null as Java null. One reader for every test package.
 */
public final class Json {

    private Json() {
    }

    public static Object parse(String text) {
        return plain(dev.gpt2java.internal.Json.parse(text));
    }

    private static Object plain(Object v) {
        if (v == dev.gpt2java.internal.Json.NULL) {
            return null;
        } else if (v instanceof Number n) {
            return n.doubleValue();
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, plain(x)));
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    public static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] out = new int[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ((Number) l.get(k)).intValue();
        }
        return out;
    }
}
