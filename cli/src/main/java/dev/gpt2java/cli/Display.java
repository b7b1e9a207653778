package dev.gpt2java.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** How tokens are shown on one line. */
final class Display {

    private Display() {
    }

    /**
     * {@code s} on one line: {@code \n}, {@code \r}, {@code \t}, other control characters as
     * {@code \}{@code u00XX}, the backslash doubled, and {@code sep} (if not 0) escaped too.
     */
    static String escape(String s, char sep) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c == sep && sep != 0) {
                        b.append('\\').append(c);
                    } else if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * One token's bytes as text: the well-formed UTF-8 as characters, every other byte (a character
     * cut by the token boundary) as {@code \xNN}; escaped as {@link #escape}.
     */
    static String tokenBytes(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 4);
        StringBuilder b = new StringBuilder();
        while (true) {
            CoderResult r = d.decode(in, out, true);
            out.flip();
            b.append(escape(out.toString(), (char) 0));
            out.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    b.append(String.format("\\x%02x", in.get() & 0xff));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return b.toString();
    }
}
