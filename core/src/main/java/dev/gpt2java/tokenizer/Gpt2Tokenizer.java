package dev.gpt2java.tokenizer;

import dev.gpt2java.internal.FileText;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2's byte-level BPE tokenizer: text to token ids and back, exactly as OpenAI's
 * {@code encoder.py}, Hugging Face's {@code GPT2Tokenizer} and tiktoken's {@code r50k_base} do it.
 *
 * <pre>{@code
 * Gpt2Tokenizer tok = Gpt2Tokenizer.fromHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
 * int[] ids = tok.encode("Hello world");          // [15496, 995]
 * String text = tok.decode(ids);                  // "Hello world"
 * List<String> shown = tok.pieces(ids);           // ["Hello", " world"]
 * }</pre>
 *
 * <h2>How text becomes tokens</h2>
 * The text is split into pieces by GPT-2's pattern
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} (Unicode letters,
 * numbers and White_Space by the JDK's tables, as in JTokkit; Python's {@code regex} module may know
 * characters that a newer Unicode version assigned as letters where the JDK does not); each piece's
 * UTF-8 bytes start as one token per byte and are merged by the merge list, best-ranked pair first.
 * Every string has an encoding: an unpaired surrogate is encoded as U+FFFD (as tiktoken does).
 *
 * <h2>Special tokens</h2>
 * {@code <|endoftext|>} and the like are control tokens, not text. {@link #encode(String)} treats their
 * text as plain text (as tiktoken's {@code encode_ordinary}): {@code "<|endoftext|>"} becomes 7 ordinary
 * tokens, so text from users cannot inject them. {@link #encode(String, boolean) encode(text, true)}
 * recognises them (leftmost first, the longest of those starting at one place), as Hugging Face's
 * tokenizers do by default. Decoding a special token gives its text.
 *
 * <h2>Decoding</h2>
 * Tokens are byte strings, and one character's UTF-8 bytes may be spread over several tokens.
 * {@link #decode} is lenient as Python's {@code errors="replace"}: each ill-formed part becomes U+FFFD.
 * A {@link StreamingDecoder} from {@link #streamingDecoder()} returns only whole characters while
 * tokens arrive one at a time.
 *
 * <h2>Threads</h2>
 * Immutable and thread-safe: one instance may encode and decode on any number of threads at once.
 * A bounded cache of the encodings of frequent pieces is shared by them.
 */
public final class Gpt2Tokenizer {

    /** The text of GPT-2's one special token, its id 50256 in GPT-2's vocabulary. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    /** Most pieces the cache holds; it starts over when full. */
    static final int CACHE_MAX_ENTRIES = 1 << 16;
    /** Longer pieces are rare enough not to cache. */
    static final int CACHE_MAX_PIECE = 32;

    private final int nVocab;
    private final int nMerges;
    /** The bytes each token stands for; a special token's are its text's UTF-8. */
    private final byte[][] tokenBytes;
    private final int[] byteToken;
    private final Bpe bpe;
    private final Map<String, Integer> specialTokens;
    private final String[] specialTexts;
    private final int[] specialIds;
    private final boolean[] isSpecial;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private Gpt2Tokenizer(List<String> tokens, List<String> merges, Map<String, Integer> specials) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(merges, "merges");
        Objects.requireNonNull(specials, "specialTokens");
        nVocab = tokens.size();
        nMerges = merges.size();
        if (nVocab < 256) {
            throw new IllegalArgumentException("a byte-level vocabulary has at least 256 tokens, this one " + nVocab);
        }

        // tokens: byte-to-unicode form, one id each
        Map<String, Integer> ids = HashMap.newHashMap(nVocab);
        tokenBytes = new byte[nVocab][];
        for (int id = 0; id < nVocab; id++) {
            String t = tokens.get(id);
            if (t == null) {
                throw new IllegalArgumentException("token " + id + " is null");
            }
            Integer before = ids.putIfAbsent(t, id);
            if (before != null) {
                throw new IllegalArgumentException("token " + FileText.quote(t) + " has ids " + before + " and " + id);
            }
            byte[] b = ByteLevel.toBytes(t);
            // a token outside the byte alphabet stands for its own UTF-8 (Hugging Face's ByteLevel decoder)
            tokenBytes[id] = b != null ? b : t.getBytes(StandardCharsets.UTF_8);
        }
        byteToken = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.valueOf(ByteLevel.charOf(b)));
            if (id == null) {
                throw new IllegalArgumentException(String.format(
                        "no token for byte 0x%02X (%s): a byte-level vocabulary has one for each byte",
                        b, FileText.quote(String.valueOf(ByteLevel.charOf(b)))));
            }
            byteToken[b] = id;
        }

        // merges: "left right", in rank order
        int[] left = new int[nMerges];
        int[] right = new int[nMerges];
        int[] result = new int[nMerges];
        for (int r = 0; r < nMerges; r++) {
            String m = merges.get(r);
            if (m == null) {
                throw new IllegalArgumentException("merge " + r + " is null");
            }
            int sp = m.indexOf(' ');
            if (sp <= 0 || sp == m.length() - 1 || m.indexOf(' ', sp + 1) >= 0) {
                throw new IllegalArgumentException("merge " + r + " " + FileText.quote(m) + " is not two tokens with one space between");
            }
            String a = m.substring(0, sp);
            String b = m.substring(sp + 1);
            left[r] = idOf(ids, a, r, m);
            right[r] = idOf(ids, b, r, m);
            result[r] = idOf(ids, a + b, r, m);
        }
        bpe = new Bpe(byteToken, left, right, result);

        // special tokens
        isSpecial = new boolean[nVocab];
        Map<String, Integer> sp = new LinkedHashMap<>();
        specials.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> {
                    String text = Objects.requireNonNull(e.getKey(), "special token text");
                    int id = Objects.requireNonNull(e.getValue(), "special token id");
                    if (text.isEmpty()) {
                        throw new IllegalArgumentException("special token " + id + " has empty text");
                    }
                    if (id < 0 || id >= nVocab) {
                        throw new IllegalArgumentException("special token " + FileText.quote(text) + " has id " + id
                                + ", out of range 0.." + (nVocab - 1));
                    }
                    if (isSpecial[id]) {
                        throw new IllegalArgumentException("special token id " + id + " is given twice");
                    }
                    isSpecial[id] = true;
                    tokenBytes[id] = text.getBytes(StandardCharsets.UTF_8);
                    sp.put(text, id);
                });
        specialTokens = Collections.unmodifiableMap(sp);
        specialTexts = sp.keySet().toArray(String[]::new);
        specialIds = sp.values().stream().mapToInt(Integer::intValue).toArray();
    }

    private static int idOf(Map<String, Integer> ids, String token, int rank, String merge) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("merge " + rank + " " + FileText.quote(merge) + ": "
                    + FileText.quote(token) + " is not in the vocabulary");
        }
        return id;
    }

    // ------------------------------------------------------------------ factories

    /**
     * A tokenizer from a vocabulary as a model file stores it (GGUF's {@code tokenizer.ggml.tokens} and
     * {@code tokenizer.ggml.merges}).
     *
     * @param tokens        the tokens in id order, in GPT-2's byte-to-unicode form ({@code "Ġthe"} for
     *                      " the"); the 256 one-character tokens of the byte alphabet must be there
     * @param merges        the merges in rank order, each {@code "left right"} in the same form; every
     *                      left, right and left+right must be a token
     * @param specialTokens text to id of the special tokens ({@code <|endoftext|>} &rarr; 50256 for GPT-2);
     *                      ids within the vocabulary; may be empty
     * @throws IllegalArgumentException if the vocabulary is inconsistent (the message says where)
     */
    public static Gpt2Tokenizer fromVocab(List<String> tokens, List<String> merges, Map<String, Integer> specialTokens) {
        return new Gpt2Tokenizer(tokens, merges, specialTokens);
    }

    /**
     * A tokenizer from Hugging Face's {@code vocab.json} (token to id, byte-to-unicode form) and
     * {@code merges.txt} (a {@code #version} line, then one merge a line, in rank order).
     * {@code <|endoftext|>} is the special token if the vocabulary has it.
     *
     * @throws IOException if a file cannot be read, is not strict UTF-8 and JSON, or the two do not
     *                     make a consistent vocabulary (ids 0..n-1 each once, merges of known tokens)
     */
    public static Gpt2Tokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        Vocabulary v = readVocabulary(vocabJson, mergesTxt);
        try {
            return new Gpt2Tokenizer(v.tokens(), v.merges(), v.specialTokens());
        } catch (IllegalArgumentException e) {
            throw new IOException(vocabJson + " with " + mergesTxt + ": " + e.getMessage(), e);
        }
    }

    static Vocabulary readVocabulary(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> vocab;
        try {
            vocab = VocabJson.parse(readUtf8(vocabJson));
        } catch (IllegalArgumentException e) {
            throw new IOException(vocabJson + ": " + e.getMessage(), e);
        }
        List<String> tokens = denseTokens(vocab, vocabJson);
        List<String> merges = readMerges(mergesTxt);
        Map<String, Integer> specials = vocab.containsKey(END_OF_TEXT)
                ? Map.of(END_OF_TEXT, vocab.get(END_OF_TEXT)) : Map.of();
        return new Vocabulary(tokens, merges, specials);
    }

    /**
     * A tokenizer from OpenAI's GPT-2 files {@code encoder.json} and {@code vocab.bpe}: the same formats
     * as Hugging Face's {@code vocab.json} and {@code merges.txt}.
     *
     * @throws IOException as {@link #fromHuggingFace}
     */
    public static Gpt2Tokenizer fromOpenAi(Path encoderJson, Path vocabBpe) throws IOException {
        return fromHuggingFace(encoderJson, vocabBpe);
    }

    private static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 (" + e + ")", e);
        }
    }

    private static List<String> denseTokens(Map<String, Integer> vocab, Path file) throws IOException {
        String[] tokens = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id >= tokens.length) {
                throw new IOException(file + ": id " + id + " of " + FileText.quote(e.getKey())
                        + " is out of range for " + tokens.length + " tokens (ids must be 0.." + (tokens.length - 1) + ")");
            }
            if (tokens[id] != null) {
                throw new IOException(file + ": id " + id + " is given to both " + FileText.quote(tokens[id])
                        + " and " + FileText.quote(e.getKey()));
            }
            tokens[id] = e.getKey();
        }
        return Arrays.asList(tokens);
    }

    private static List<String> readMerges(Path file) throws IOException {
        String text = readUtf8(file);
        List<String> merges = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || lineNo == 1 && line.startsWith("#version")) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1 || line.indexOf(' ', sp + 1) >= 0) {
                throw new IOException(file + ": line " + lineNo + " " + FileText.quote(line)
                        + " is not two tokens with one space between");
            }
            merges.add(line);
        }
        return merges;
    }

    // ------------------------------------------------------------------ vocabulary

    /** Number of tokens; ids are {@code 0 .. vocabSize()-1}. */
    public int vocabSize() {
        return nVocab;
    }

    /** Number of merges. */
    public int mergeCount() {
        return nMerges;
    }

    /** The special tokens, text to id, by increasing id. Unmodifiable. */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** Whether {@code id} is a special token ({@code <|endoftext|>}). */
    public boolean isSpecial(int id) {
        checkId(id);
        return isSpecial[id];
    }

    /** The bytes token {@code id} stands for ({@code " the"} for {@code "Ġthe"}); a special token's text. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        return tokenBytes[id].clone();
    }

    private void checkId(int id) {
        if (id < 0 || id >= nVocab) {
            throw new IllegalArgumentException("token id " + id + " out of range 0.." + (nVocab - 1));
        }
    }

    // ------------------------------------------------------------------ encoding

    /** The tokens of {@code text}, special-token text taken as plain text. */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * The tokens of {@code text}.
     *
     * @param allowSpecial whether the text of a special token ({@code <|endoftext|>}) in {@code text} is
     *                     that token; if false it is plain text
     */
    public int[] encode(String text, boolean allowSpecial) {
        Objects.requireNonNull(text, "text");
        IntList out = new IntList(text.length() / 3 + 4);
        if (!allowSpecial || specialTexts.length == 0) {
            encodeOrdinary(text, 0, text.length(), out);
            return out.toArray();
        }
        int[] nextAt = new int[specialTexts.length];
        Arrays.fill(nextAt, -2); // not searched yet
        int pos = 0;
        while (pos < text.length()) {
            int best = -1;
            int bestAt = Integer.MAX_VALUE;
            for (int k = 0; k < specialTexts.length; k++) {
                if (nextAt[k] != -1 && nextAt[k] < pos) {
                    nextAt[k] = text.indexOf(specialTexts[k], pos);
                }
                int at = nextAt[k];
                if (at >= 0 && (at < bestAt || at == bestAt && specialTexts[k].length() > specialTexts[best].length())) {
                    best = k;
                    bestAt = at;
                }
            }
            if (best < 0) {
                break;
            }
            encodeOrdinary(text, pos, bestAt, out);
            out.add(specialIds[best]);
            pos = bestAt + specialTexts[best].length();
        }
        encodeOrdinary(text, pos, text.length(), out);
        return out.toArray();
    }

    private void encodeOrdinary(String text, int from, int to, IntList out) {
        if (from < to) {
            PreTokenizer.split(text, from, to, (start, end) -> encodePiece(text, start, end, out));
        }
    }

    private void encodePiece(String text, int start, int end, IntList out) {
        if (end - start == 1 && text.charAt(start) < 0x80) {
            out.add(byteToken[text.charAt(start)]);
            return;
        }
        boolean cacheable = end - start <= CACHE_MAX_PIECE;
        String key = null;
        if (cacheable) {
            key = text.substring(start, end);
            int[] hit = cache.get(key);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        byte[] bytes = new byte[Utf8.length(text, start, end)];
        int n = Utf8.encode(text, start, end, bytes);
        int[] ids = bpe.encode(bytes, n);
        if (cacheable) {
            if (cache.size() >= CACHE_MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, ids);
        }
        out.addAll(ids);
    }

    // ------------------------------------------------------------------ decoding

    /** The bytes that {@code ids} stand for, concatenated. */
    public byte[] decodeBytes(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        int n = 0;
        for (int id : ids) {
            checkId(id);
            n += tokenBytes[id].length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int id : ids) {
            byte[] b = tokenBytes[id];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /**
     * The text of {@code ids}: their bytes as UTF-8, each ill-formed part (a character cut off at either
     * end, a stray continuation byte) replaced by U+FFFD as Python's {@code errors="replace"} does.
     * {@code decode(encode(s)).equals(s)} for every string without unpaired surrogates.
     */
    public String decode(int[] ids) {
        return Utf8.decode(decodeBytes(ids));
    }

    /**
     * The text of each token, for display ({@code ["Art", "ificial", " intelligence"]}): one string per
     * id, which joined give {@link #decode(int[]) decode(ids)}. A character whose bytes are spread over
     * several tokens is shown whole, with the token that completes it; the tokens before show nothing
     * of it (so a piece may be empty). Unmodifiable.
     */
    public List<String> pieces(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        StreamingDecoder d = streamingDecoder();
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = d.accept(ids[i]);
        }
        if (ids.length > 0) {
            out[ids.length - 1] += d.flush();
        }
        return List.of(out);
    }

    /** A new decoder for one stream of tokens; see {@link StreamingDecoder}. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    /** Number of pieces cached (for tests). */
    int cacheSize() {
        return cache.size();
    }

    /** The merge table (for tests). */
    Bpe bpe() {
        return bpe;
    }

    /** The bytes of a token, not copied: for {@link StreamingDecoder}. */
    byte[] bytesOf(int id) {
        checkId(id);
        return tokenBytes[id];
    }

    @Override
    public String toString() {
        return "Gpt2Tokenizer[vocab " + nVocab + ", merges " + nMerges + ", special " + specialTokens + "]";
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a;
        private int size;

        IntList(int capacity) {
            a = new int[Math.max(capacity, 4)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void addAll(int[] v) {
            if (size + v.length > a.length) {
                a = Arrays.copyOf(a, Math.max(size * 2, size + v.length));
            }
            System.arraycopy(v, 0, a, size, v.length);
            size += v.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
