package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Vocabulary files are read as flat string-to-id objects, strictly. */
class VocabJsonTest {

    private static void assertRefused(String json, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VocabJson.parse(json), json);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void readsKeysAndIdsInFileOrder() {
        Map<String, Integer> m = VocabJson.parse(" {\"b\": 1,\n\t\"a\":0 ,\r\n\"\u0120the\": 262}\n");
        assertEquals(List.of("b", "a", "\u0120the"), List.copyOf(m.keySet()));
        assertEquals(262, m.get("\u0120the"));
        assertEquals(Map.of(), VocabJson.parse("{}"));
        assertEquals(Map.of("x", 2147483647), VocabJson.parse("{\"x\":2147483647}"));
    }

    @Test
    void decodesEveryEscapeAndSurrogatePairs() {
        Map<String, Integer> m = VocabJson.parse(
                "{\"\\\"\\\\\\/\\b\\f\\n\\r\\t\": 0, \"\\u0120\\u00e9\\u00E9\": 1, \"\\ud83d\\ude00\": 2, \"😁\": 3}");
        assertEquals(List.of("\"\\/\b\f\n\r\t", "\u0120éé", "😀", "😁"), List.copyOf(m.keySet()));
        // an escaped pair and the raw character are the same key
        assertRefused("{\"\\ud83d\\ude00\": 0, \"😀\": 1}", "duplicate key \"😀\"");
    }

    @Test
    void skipsALeadingByteOrderMark() {
        assertEquals(Map.of("a", 0), VocabJson.parse("\uFEFF{\"a\": 0}"));
    }

    @Test
    void refusesWhatIsNotAFlatObjectOfIds() {
        assertRefused("", "unexpected end");
        assertRefused("[]", "expected a JSON object, found an array");
        assertRefused("{\"a\": 0,}", "line 1, column 9");
        assertRefused("{\"a\": 0", "unexpected end");
        assertRefused("{\"a\": 0} x", "line 1, column 10: unexpected 'x' after the value");
        assertRefused("{\"a\" 0}", "expected ':'");
        assertRefused("{a: 0}", "expected a string key");
        assertRefused("{\"a\": \"0\"}", "the id of \"a\" is a string, expected an integer");
        assertRefused("{\"a\": -1}", "the id of \"a\" (-1) is negative");
        assertRefused("{\"a\": 1.0}", "not an integer");
        assertRefused("{\"a\": 1e3}", "not an integer");
        assertRefused("{\"a\": 01}", "leading zero");
        assertRefused("{\"a\": 2147483648}", "the id of \"a\" (2147483648) is too large");
        assertRefused("{\"a\": true}", "expected an integer");
    }

    @Test
    void refusesBrokenStrings() {
        assertRefused("{\"a\n\": 0}", "raw control character U+000A");
        assertRefused("{\"\\x\": 0}", "invalid escape");
        assertRefused("{\"\\u12\": 0}", "invalid \\u escape");
        assertRefused("{\"\\u12", "truncated");
        assertRefused("{\"\\ud83d\": 0}", "unpaired surrogate U+D83D");
        assertRefused("{\"\\ude00\\ud83d\": 0}", "unpaired surrogate");
        assertRefused("{\"abc", "unterminated string");
    }

    @Test
    void refusesDuplicateKeysWithTheirLine() {
        assertRefused("{\"a\": 0,\n \"a\": 1}", "line 2, column 2: duplicate key \"a\"");
    }
}
