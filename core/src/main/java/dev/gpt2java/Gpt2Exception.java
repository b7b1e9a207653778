package dev.gpt2java;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A failure reported by libgpt2: the {@link #status()} and the native message. For errors about a file
 * (loading, writing, quantizing) the message names the file.
 */
public class Gpt2Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status status;
    private final String nativeMessage;

    /**
     * @param status        what kind of failure
     * @param nativeMessage the message of libgpt2 ({@code gpt2_last_error()}), or one composed in Java
     */
    public Gpt2Exception(Status status, String nativeMessage) {
        this(status, nativeMessage, null);
    }

    private Gpt2Exception(Status status, String nativeMessage, Path file) {
        super(compose(status, nativeMessage, file));
        this.status = Objects.requireNonNull(status, "status");
        this.nativeMessage = nativeMessage == null ? "" : nativeMessage;
    }

    /** An exception about {@code file}: its message names the file even where the native one does not. */
    public static Gpt2Exception forFile(Status status, String nativeMessage, Path file) {
        return new Gpt2Exception(status, nativeMessage, file);
    }

    /** What kind of failure. */
    public Status status() {
        return status;
    }

    /** The message as libgpt2 gave it ({@code gpt2_last_error()}). */
    public String nativeMessage() {
        return nativeMessage;
    }

    static String compose(Status status, String nativeMessage, Path file) {
        String msg = nativeMessage == null || nativeMessage.isBlank() ? "(libgpt2 gave no message)" : nativeMessage;
        if (file != null) {
            String shown = file.toString();
            String absolute = file.toAbsolutePath().toString();
            if (!msg.contains(shown) && !msg.contains(absolute)) {
                msg = absolute + ": " + msg;
            }
        }
        return msg + " [" + status.cName() + "]";
    }
}
