package dev.gpt2java.internal;

import java.util.function.ToIntFunction;

/** The enum constant of a C code: the one lookup behind every {@code ofCode} of the API's enums. */
public final class Codes {

    private Codes() {
    }

    /** The constant of {@code values} whose code is {@code code}, or {@code orElse}. */
    public static <E> E find(E[] values, ToIntFunction<E> codeOf, int code, E orElse) {
        for (E e : values) {
            if (codeOf.applyAsInt(e) == code) {
                return e;
            }
        }
        return orElse;
    }

    /** As {@link #find}, but a code no constant has is an IllegalArgumentException naming {@code what}. */
    public static <E> E of(E[] values, ToIntFunction<E> codeOf, int code, String what) {
        E e = find(values, codeOf, code, null);
        if (e == null) {
            throw new IllegalArgumentException(what + " " + code + " is not one of gpt2.h's values");
        }
        return e;
    }
}
