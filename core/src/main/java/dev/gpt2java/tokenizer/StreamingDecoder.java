package dev.gpt2java.tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes one stream of tokens as they arrive, returning only whole characters: the bytes of a
 * character that is not complete yet (a UTF-8 sequence spread over tokens, as {@code 😀} is in GPT-2)
 * are held back until the token that completes it, so a stream never shows a broken character.
 *
 * <p>What {@link #accept} returns, joined, followed by {@link #flush()}, is exactly
 * {@link Gpt2Tokenizer#decode decode} of all the tokens: ill-formed bytes become U+FFFD as soon as they
 * are known to be ill-formed, and {@code flush()} gives the U+FFFD of a character the stream left
 * unfinished.
 *
 * <pre>{@code
 * StreamingDecoder d = tokenizer.streamingDecoder();
 * for (int token : generated) {
 *     System.out.print(d.accept(token));
 * }
 * System.out.print(d.flush());
 * }</pre>
 *
 * One object per stream, for one thread at a time (it holds the pending bytes).
 */
public final class StreamingDecoder {

    private final Gpt2Tokenizer tokenizer;
    /** Bytes of an unfinished character, at most 3. */
    private byte[] pending = new byte[16];
    private int nPending;
    private final StringBuilder sb = new StringBuilder();

    StreamingDecoder(Gpt2Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /**
     * Takes the next token and returns the characters it completes (often its whole text, sometimes
     * "" while a character is unfinished).
     *
     * @throws IllegalArgumentException if {@code token} is not in the vocabulary (the state is unchanged)
     */
    public String accept(int token) {
        byte[] b = tokenizer.bytesOf(token);
        if (nPending + b.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, nPending + b.length));
        }
        System.arraycopy(b, 0, pending, nPending, b.length);
        nPending += b.length;
        sb.setLength(0);
        int stop = Utf8.decode(pending, 0, nPending, sb, true);
        System.arraycopy(pending, stop, pending, 0, nPending - stop);
        nPending -= stop;
        return sb.toString();
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return nPending > 0;
    }

    /**
     * Ends the stream: returns U+FFFD for an unfinished character held back (or "" if none) and
     * starts afresh, ready for a new stream.
     */
    public String flush() {
        sb.setLength(0);
        Utf8.decode(pending, 0, nPending, sb, false);
        nPending = 0;
        return sb.toString();
    }
}
