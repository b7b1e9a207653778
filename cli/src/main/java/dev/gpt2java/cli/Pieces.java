package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Token pieces and model names as the look-inside commands ({@code lens}, {@code attention}, {@code neighbours}) show them. */
final class Pieces {

    private Pieces() {
    }

    /** One token as text on one line: its bytes, a cut character as \xNN ({@link Display#tokenBytes}). */
    static String piece(Gpt2Tokenizer tokenizer, int id) {
        return Display.tokenBytes(tokenizer.tokenBytes(id));
    }

    /** {@link #piece} of each id. */
    static List<String> pieces(Gpt2Tokenizer tokenizer, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(piece(tokenizer, id));
        }
        return out;
    }

    /** Any text on one line ({@link Display#escape}), {@link #quoted}. */
    static String quotedText(String text) {
        return quoted(Display.escape(text, (char) 0));
    }

    /** A piece in double quotes, a double quote in it as \". */
    static String quoted(String piece) {
        return "\"" + piece.replace("\"", "\\\"") + "\"";
    }

    /** The model as titles name it: its general.name and file name, or the file name alone. */
    static String modelName(Gpt2Model m) {
        Object file = m.path() == null ? "model" : m.path().getFileName();
        String name = m.name() == null ? "" : m.name().strip();
        return name.isEmpty() || name.equals(String.valueOf(file)) ? String.valueOf(file) : name + " (" + file + ")";
    }

    /** {@code s} cut to {@code max} characters with an ellipsis. */
    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "\u2026";
    }
}
