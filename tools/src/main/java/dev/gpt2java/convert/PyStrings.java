package dev.gpt2java.convert;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str.isspace}, {@code str.strip()} and {@code str.split(maxsplit)} without arguments: what
 * llama.cpp's converter (Python) does to names, card fields and merges, so that our files match its own.
 */
final class PyStrings {

    private PyStrings() {
    }

    /** {@code chr(c).isspace()}: Java's whitespace and space characters, and NEL (U+0085). */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** The first {@code max} words of {@code s.split()}. */
    static List<String> split(String s, int max) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < s.length() && out.size() < max) {
            while (k < s.length() && isSpace(s.charAt(k))) {
                k++;
            }
            int start = k;
            while (k < s.length() && !isSpace(s.charAt(k))) {
                k++;
            }
            if (k > start) {
                out.add(s.substring(start, k));
            }
        }
        return out;
    }
}
