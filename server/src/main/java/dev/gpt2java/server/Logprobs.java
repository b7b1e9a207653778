package dev.gpt2java.server;

import dev.gpt2java.search.TokenLogprob;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code logprobs} object of one choice, as OpenAI's completions API shapes it: {@code tokens} (each token's
 * text), {@code token_logprobs}, {@code top_logprobs} (a map from token text to logprob: the {@code logprobs} most
 * likely tokens of the step, and the chosen one, so up to logprobs+1 entries) and {@code text_offset} (where each
 * token's text starts in the choice's text, in Unicode code points). The first token of an echoed prompt has no
 * logprob: null there.
 *
 * <p>A token whose bytes are not whole UTF-8 (a piece of a character) is written {@code "bytes:\xe2\x80"}, as
 * OpenAI does. One builder per choice: {@link #take()} hands out what was added since the last call, so a stream
 * sends each chunk's tokens with offsets that run on over the whole text.
 */
final class Logprobs {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Gpt2Tokenizer tokenizer;
    private final StreamingDecoder decoder;
    private long offset;
    private ObjectNode current;

    Logprobs(Gpt2Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.decoder = tokenizer.streamingDecoder();
    }

    /** Adds a token: its logprob (null: none, the first prompt token) and the step's best tokens (null: none). */
    void add(int token, Double logprob, List<TokenLogprob> top) {
        ObjectNode o = current();
        ((ArrayNode) o.get("tokens")).add(text(tokenizer, token));
        ArrayNode lps = (ArrayNode) o.get("token_logprobs");
        ArrayNode tops = (ArrayNode) o.get("top_logprobs");
        if (logprob == null) {
            lps.addNull();
            tops.addNull();
        } else {
            lps.add(logprob);
            ObjectNode m = tops.addObject();
            for (TokenLogprob t : top) {
                m.put(text(tokenizer, t.token()), t.logprob());
            }
            m.put(text(tokenizer, token), logprob);
        }
        ((ArrayNode) o.get("text_offset")).add(offset);
        String released = decoder.accept(token);
        offset += released.codePointCount(0, released.length());
    }

    /** The tokens added since the last call, as a {@code logprobs} object (empty arrays if none). */
    ObjectNode take() {
        ObjectNode o = current();
        current = null;
        return o;
    }

    private ObjectNode current() {
        if (current == null) {
            current = JSON.objectNode();
            current.putArray("tokens");
            current.putArray("token_logprobs");
            current.putArray("top_logprobs");
            current.putArray("text_offset");
        }
        return current;
    }

    /** A token as the API shows it: its text, or {@code bytes:\xNN...} when its bytes are not whole UTF-8. */
    static String text(Gpt2Tokenizer tokenizer, int token) {
        byte[] b = tokenizer.tokenBytes(token);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            StringBuilder s = new StringBuilder("bytes:");
            for (byte x : b) {
                s.append(String.format("\\x%02x", x & 0xff));
            }
            return s.toString();
        }
    }
}
