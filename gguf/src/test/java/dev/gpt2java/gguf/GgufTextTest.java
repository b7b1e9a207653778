package dev.gpt2java.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * File text in a message is one printable line of bounded length: quotes and backslashes escaped,
 * control and invisible characters as \\uXXXX, cut where the text shown would pass 64 characters
 * (an escape counts its length), the full size after the closing quote.
 */
class GgufTextTest {

    @Test
    void escapesQuotesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\u001B[31m\\u000A\\u202E\"", GgufText.quote("a\"b\\c\u001B[31m\n\u202E"));
    }

    @Test
    void cutsAtSixtyFourCharactersShownWhateverTheTextIs() {
        assertEquals("\"" + "x".repeat(64) + "\"... (100000 bytes)", GgufText.quote("x".repeat(100_000)));
        String escapes = GgufText.quote("\u001B".repeat(400));
        assertEquals("\"" + "\\u001B".repeat(10) + "\"... (400 bytes)", escapes);
        String quotes = GgufText.quote("\"".repeat(400));
        assertEquals("\"" + "\\\"".repeat(32) + "\"... (400 bytes)", quotes);
        assertEquals("\"" + "x".repeat(64) + "\"", GgufText.quote("x".repeat(64)));
        assertTrue(GgufText.quote("é".repeat(1000)).startsWith("\"" + "é".repeat(64) + "\"... (2000 bytes)"));
    }
}
