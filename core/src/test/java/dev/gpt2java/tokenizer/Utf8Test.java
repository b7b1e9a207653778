package dev.gpt2java.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Lenient UTF-8 decoding is Python's {@code errors="replace"}; encoding is the JDK's for valid text. */
class Utf8Test {

    @Test
    void illFormedBytesDecodeAsPythonDecodesThem() {
        // made by make_utf8_replace_cases.py with CPython: bytes, then the UTF-8 of Python's decoding
        int n = 0;
        for (String line : TestData.resource("utf8-replace-cases.txt").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", -1);
            byte[] bytes = HexFormat.of().parseHex(f[0]);
            String want = new String(HexFormat.of().parseHex(f[1]), StandardCharsets.UTF_8);
            assertEquals(Show.literal(want), Show.literal(Utf8.decode(bytes)), "bytes " + f[0]);
            n++;
        }
        assertTrue(n > 2000, "cases: " + n);
    }

    @Test
    void aSurrogateEncodedInUtf8IsThreeReplacementCharacters() {
        // the JDK's decoder gives one U+FFFD for ED A0 80; Python and Unicode's practice give three
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals("\uFFFD", Utf8.decode(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98})); // cut off
        assertEquals("\uFFFDA", Utf8.decode(new byte[] {(byte) 0xE6, (byte) 0x97, 'A'}));
    }

    @Test
    void validTextRoundTripsAndEncodesAsTheJdkDoes() {
        RandomText gen = new RandomText(3L, false);
        for (int i = 0; i < 100_000; i++) {
            String s = gen.next();
            byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
            byte[] ours = new byte[Utf8.length(s, 0, s.length())];
            assertEquals(ours.length, Utf8.encode(s, 0, s.length(), ours));
            assertArrayEquals(jdk, ours, Show.literal(s));
            assertEquals(s, Utf8.decode(ours), Show.literal(s));
        }
    }

    @Test
    void anUnfinishedCharacterIsHeldBackOnlyWhenAskedTo() {
        byte[] b = "a😀".getBytes(StandardCharsets.UTF_8);
        for (int cut = 2; cut < b.length; cut++) {
            StringBuilder sb = new StringBuilder();
            assertEquals(1, Utf8.decode(b, 0, cut, sb, true), "cut " + cut);
            assertEquals("a", sb.toString());
            sb.setLength(0);
            assertEquals(cut, Utf8.decode(b, 0, cut, sb, false));
            assertEquals("a\uFFFD", sb.toString());
        }
    }
}
