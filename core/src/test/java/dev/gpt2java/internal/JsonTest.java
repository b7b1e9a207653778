package dev.gpt2java.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The converter's JSON reader: the values of config, tokenizer and safetensors header files, and a
 * clear IllegalArgumentException (line and column) for anything that is not JSON, never a
 * StackOverflowError or a silently different value.
 */
class JsonTest {

    @Test
    void readsTheValuesOfAConfigFile() {
        Map<String, Object> m = Json.parseObject("\uFEFF{\"n_embd\": 768, \"eps\": 1e-05, \"neg\": -2, \"big\": 123456789012345678901,"
                + " \"s\": \"\\u0120the\\n\", \"t\": true, \"n\": null, \"a\": [1, [2.5]], \"o\": {}, \"inf\": Infinity, \"nan\": NaN}");
        assertEquals(768L, m.get("n_embd"));
        assertEquals(1e-5, m.get("eps"));
        assertEquals(-2L, m.get("neg"));
        assertEquals(1.2345678901234568e20, m.get("big"));
        assertEquals("\u0120the\n", m.get("s"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertSame(Json.NULL, m.get("n"));
        assertEquals(List.of(1L, List.of(2.5)), m.get("a"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(Double.POSITIVE_INFINITY, m.get("inf"));
        assertTrue(Double.isNaN((Double) m.get("nan")));
        assertEquals(List.of("n_embd", "eps", "neg", "big", "s", "t", "n", "a", "o", "inf", "nan"), List.copyOf(m.keySet()));
    }

    @Test
    void refusesWhatIsNotJsonWithTheLineAndColumn() {
        String[][] cases = {
                {"{\"a\": 1,}", "line 1, column 9: expected a string key"},
                {"{\"a\": 1, \"a\": 2}", "duplicate key \"a\""},
                {"{\"a\": 01}", "leading zero"},
                {"{\"a\": 1.}", "no digits after '.'"},
                {"{\"a\": \"x\ny\"}", "raw control character"},
                {"{\"a\": \"\\ud800\"}", "unpaired surrogate U+D800"},
                {"{\"a\": \"\\q\"}", "invalid escape \\q"},
                {"{\"a\": tru}", "expected true"},
                {"{\"a\": 1}\n x", "line 2, column 2: unexpected 'x' after the value"},
                {"{\"a\": [1, 2", "unexpected end"},
                {"", "unexpected end, expected a value"},
                {"[1]", "expected a JSON object, found an array"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), e.getMessage());
        assertEquals(List.of(List.of()), Json.parse("[".repeat(2) + "]".repeat(2)));
    }
}
