package dev.gpt2java.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The text a command works on: its argument, or stdin when the argument is absent or {@code -}. */
final class TextInput {

    private TextInput() {
    }

    /**
     * {@code arg} itself, or all of stdin as UTF-8 without one trailing line break (so that
     * {@code echo text | gpt2 tokenize} sees {@code text}).
     */
    static String read(String arg, InputStream stdin) throws IOException {
        if (arg != null && !arg.equals("-")) {
            return arg;
        }
        String s = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }
}
