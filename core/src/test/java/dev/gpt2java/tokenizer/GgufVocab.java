package dev.gpt2java.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of a GGUF file (v3, little-endian), read from its key-values in plain Java: what
 * {@code Gpt2Model} hands to {@link Gpt2Tokenizer#fromVocab} from the native side.
 */
record GgufVocab(List<String> tokens, List<String> merges, int[] tokenTypes) {

    static final int CONTROL = 3;

    /** The control tokens, text to id, as special tokens. */
    Map<String, Integer> controlTokens() {
        Map<String, Integer> m = new HashMap<>();
        for (int id = 0; id < tokenTypes.length; id++) {
            if (tokenTypes[id] == CONTROL) {
                m.put(tokens.get(id), id);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static GgufVocab read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747 || b.getInt() != 3) {
            throw new IOException(file + ": not GGUF v3");
        }
        b.getLong(); // tensors
        long nKv = b.getLong();
        Map<String, Object> kv = new HashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            kv.put(key, value(b, b.getInt()));
        }
        List<Object> types = (List<Object>) kv.get("tokenizer.ggml.token_type");
        return new GgufVocab((List<String>) kv.get("tokenizer.ggml.tokens"), (List<String>) kv.get("tokenizer.ggml.merges"),
                types.stream().mapToInt(o -> ((Number) o).intValue()).toArray());
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[Math.toIntExact(b.getLong())];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0, 1 -> b.get();
            case 2, 3 -> b.getShort();
            case 4, 5 -> b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> {
                int elem = b.getInt();
                long n = b.getLong();
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    out.add(value(b, elem));
                }
                yield out;
            }
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IllegalArgumentException("GGUF type " + type);
        };
    }
}
