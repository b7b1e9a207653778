package dev.gpt2java.tokenizer;

import java.util.Arrays;

/** Strings and ids written so that a failure message shows every character. */
final class Show {

    private Show() {
    }

    /** {@code text} as a Java literal: ASCII printable as is, everything else as an escape. */
    static String literal(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04X", (int) c));
            }
        }
        return sb.append('"').toString();
    }

    static String mismatch(String text, int[] ours, int[] theirs) {
        return literal(text) + "\n    ours   " + Arrays.toString(ours) + "\n    oracle " + Arrays.toString(theirs);
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD. */
    static String withoutLoneSurrogates(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)));
            if (Character.isHighSurrogate(c) && !lone) {
                if (sb != null) {
                    sb.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (lone && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
