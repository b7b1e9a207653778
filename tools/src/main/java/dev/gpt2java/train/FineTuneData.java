package dev.gpt2java.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fine-tuning data read from JSON Lines (one JSON object a line; blank lines skipped, other fields
 * ignored), tokenized. A prompt and a response are tokenized apart and joined as
 * {@code prompt ++ response ++ <|endoftext|>}: the prompt's tokens are exactly what the prompt alone
 * encodes to at inference, and the closing {@code <|endoftext|>} teaches the model to stop. The loss
 * covers the response's tokens and that {@code <|endoftext|>}, each predicted from everything before it.
 * Any fault is an {@link IllegalArgumentException} naming the file, the line and the field.
 */
final class FineTuneData {

    /**
     * One tokenized prompt and response: {@code tokens} = prompt ++ response ++ [eos]; the predictions with
     * a loss are those of tokens[promptLen ..], made at positions promptLen - 1 .. tokens.length - 2.
     */
    record Sequence(int[] tokens, int promptLen) {
        /** Positions the model reads (the inputs): all but the last token. */
        int inputs() {
            return tokens.length - 1;
        }

        /** Whether the prediction made at position t (of tokens[t + 1]) has a loss. */
        boolean scored(int t) {
            return t >= promptLen - 1 && t < tokens.length - 1;
        }

        /** Predictions with a loss: the response's tokens and the closing eos. */
        int scoredCount() {
            return tokens.length - promptLen;
        }
    }

    /** An instruction example (SFT) of line {@code line}. */
    record Example(int line, Sequence sequence) {
    }

    /** A preference pair (DPO) of line {@code line}: one prompt, a preferred and a rejected response. */
    record Pair(int line, Sequence chosen, Sequence rejected) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FineTuneData() {
    }

    /** The SFT examples of {@code file}: {@code {"prompt": ..., "response": ...}} a line. */
    static List<Example> examples(Path file, Gpt2Tokenizer tok, int eos, int nCtx) throws IOException {
        List<Example> out = new ArrayList<>();
        for (Line l : lines(file)) {
            out.add(new Example(l.number, sequence(l, tok, eos, nCtx, string(l, "prompt"), "response")));
        }
        requireSome(file, out);
        return out;
    }

    /** The DPO pairs of {@code file}: {@code {"prompt": ..., "chosen": ..., "rejected": ...}} a line. */
    static List<Pair> pairs(Path file, Gpt2Tokenizer tok, int eos, int nCtx) throws IOException {
        List<Pair> out = new ArrayList<>();
        for (Line l : lines(file)) {
            String prompt = string(l, "prompt");
            out.add(new Pair(l.number, sequence(l, tok, eos, nCtx, prompt, "chosen"),
                    sequence(l, tok, eos, nCtx, prompt, "rejected")));
        }
        requireSome(file, out);
        return out;
    }

    private record Line(Path file, int number, JsonNode json) {
        IllegalArgumentException bad(String what) {
            return new IllegalArgumentException(file + " line " + number + ": " + what);
        }
    }

    private static List<Line> lines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not valid UTF-8 (" + e + ")", e);
        }
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i].strip();
            if (s.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": not JSON ("
                        + e.getOriginalMessage().lines().findFirst().orElse("") + ")", e);
            }
            Line l = new Line(file, i + 1, node);
            if (node == null || !node.isObject()) {
                throw l.bad("expected a JSON object");
            }
            out.add(l);
        }
        return out;
    }

    private static String string(Line l, String field) {
        JsonNode v = l.json.get(field);
        if (v == null || !v.isTextual()) {
            throw l.bad(v == null ? "no \"" + field + "\"" : "\"" + field + "\" is not a string");
        }
        return v.textValue();
    }

    private static Sequence sequence(Line l, Gpt2Tokenizer tok, int eos, int nCtx, String prompt, String field) {
        int[] p = tok.encode(prompt);
        if (p.length == 0) {
            throw l.bad("\"prompt\" is empty: the response's first token is predicted from the prompt's last");
        }
        int[] r = tok.encode(string(l, field));
        int n = p.length + r.length + 1;
        if (n - 1 > nCtx) {
            throw l.bad("\"prompt\" (" + p.length + " tokens) and \"" + field + "\" (" + r.length + " tokens) with the "
                    + "closing <|endoftext|> need " + (n - 1) + " positions; the model's context has " + nCtx);
        }
        int[] all = new int[n];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(r, 0, all, p.length, r.length);
        all[n - 1] = eos;
        return new Sequence(all, p.length);
    }

    private static void requireSome(Path file, List<?> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException(file + ": no examples (the file is empty)");
        }
    }
}
