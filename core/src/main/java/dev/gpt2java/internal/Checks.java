package dev.gpt2java.internal;

/** Argument checks shared by the records and classes of this package. */
public final class Checks {

    private Checks() {
    }

    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code name} within {@code lo .. hi} (inclusive), else IllegalArgumentException naming both. */
    public static int inRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", was " + value);
        }
        return value;
    }

    public static int index(String what, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + " " + index + " out of range 0.." + (size - 1));
        }
        return index;
    }
}
