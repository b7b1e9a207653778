package dev.gpt2java.internal;

import dev.gpt2java.Gpt2Exception;
import dev.gpt2java.Status;
import dev.gpt2java.internal.ffi.gpt2_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Small helpers around gpt2_h: C strings and status codes. */
public final class Native {

    private Native() {
    }

    /** {@code gpt2_last_error()} of this thread; must be called right after the failing call. */
    public static String lastError() {
        return string(gpt2_h.gpt2_last_error());
    }

    /** This thread's status of the last failing call, for the calls that fail with NULL. */
    public static Status lastStatus() {
        return Status.of(gpt2_h.gpt2_last_status());
    }

    /**
     * Throws Gpt2Exception for a negative status, else returns it. The message is this thread's
     * {@code gpt2_last_error()} only when libgpt2 recorded this very failure (its last status is the
     * one returned): a message an earlier failing call left on the thread is never shown for another.
     */
    public static int check(int status) {
        if (status < 0) {
            throw failure(Status.of(status));
        }
        return status;
    }

    public static long check(long status) {
        if (status < 0) {
            throw failure(Status.of((int) Math.max(status, Integer.MIN_VALUE)));
        }
        return status;
    }

    /** The exception of a call that returned {@code returned}, with libgpt2's message if it recorded one. */
    static Gpt2Exception failure(Status returned) {
        String message = lastStatus() == returned ? lastError() : "";
        if (message.isBlank()) {
            message = "libgpt2 returned " + returned.cName() + " without recording why";
        }
        return new Gpt2Exception(returned, message);
    }

    /** A NUL-terminated UTF-8 string; "" for NULL. */
    public static String string(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) {
            return "";
        }
        // gpt2_h's pointers are unbounded (C_POINTER's target layout), so getString can scan to the NUL
        return p.getString(0, StandardCharsets.UTF_8);
    }

    /** {@code len} bytes of UTF-8 at {@code p}. */
    public static String string(MemorySegment p, int len) {
        return new String(bytes(p, len), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(MemorySegment p, int len) {
        if (len <= 0 || p.equals(MemorySegment.NULL)) {
            return new byte[0];
        }
        return p.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A path as libgpt2 takes it (UTF-8, absolute so that messages are unambiguous). */
    public static String pathString(Path p) {
        return p.toAbsolutePath().toString();
    }
}
