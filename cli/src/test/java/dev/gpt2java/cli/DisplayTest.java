package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** How tokens are shown on one line. */
class DisplayTest {

    @Test
    void controlCharactersSeparatorAndBackslashAreEscaped() {
        assertEquals("a\\nb\\tc\\|d\\\\e\\u0001", Display.escape("a\nb\tc|d\\e\u0001", '|'));
        assertEquals("a|b", Display.escape("a|b", (char) 0));
    }

    @Test
    void bytesOfACutCharacterShowAsHex() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // e2 82 ac
        assertEquals("\\xe2\\x82", Display.tokenBytes(new byte[] {euro[0], euro[1]}));
        assertEquals("x€ \\xac", Display.tokenBytes(new byte[] {'x', euro[0], euro[1], euro[2], ' ', euro[2]}));
        assertEquals(" hello", Display.tokenBytes(" hello".getBytes(StandardCharsets.UTF_8)));
    }
}
