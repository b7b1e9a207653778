package dev.gpt2java.convert;

import dev.gpt2java.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a Hugging Face GPT-2 folder as llama.cpp's converter renders it into GGUF
 * ({@code _set_vocab_gpt2}: {@code get_vocab_base} and gguf-py's {@code SpecialVocab}).
 *
 * <ul>
 *   <li>Tokens: {@code tokenizer.json}'s {@code model.vocab} if that file is there, else {@code vocab.json};
 *       plus the added tokens of {@code tokenizer.json} and of {@code tokenizer_config.json}'s
 *       {@code added_tokens_decoder}. Ids below {@code config.json}'s {@code vocab_size} that no token has
 *       become {@code [PAD<id>]} (type UNUSED).</li>
 *   <li>Token types: CONTROL (3) for added tokens that are special (the bos/eos/unk/... tokens,
 *       {@code <|endoftext|>} by default, as in GPT2Tokenizer) or look special ({@code <|...|>}),
 *       USER_DEFINED (4) for other added tokens, NORMAL (1) for the rest.</li>
 *   <li>Merges: {@code tokenizer.json}'s {@code model.merges} (either format), else {@code merges.txt}.</li>
 *   <li>Special token ids, in gguf-py's order: those named in {@code tokenizer_config.json} and found among
 *       {@code tokenizer.json}'s added tokens, then {@code config.json}'s {@code *_token_id}; the
 *       {@code add_bos/eos/sep_token} flags and {@code chat_template} of {@code tokenizer_config.json}.</li>
 * </ul>
 * The pre-tokenizer is GPT-2's byte-level one ({@code tokenizer.ggml.pre = "gpt-2"}): a
 * {@code tokenizer.json} with another model, pre-tokenizer, normalizer or post-processor is refused.
 *
 * @param specialIds special token ids by type (bos, eos, unk, sep, pad, cls, mask) in the order gguf-py sets them
 * @param addSpecial add_bos_token, add_eos_token, ... flags by type, in gguf-py's order
 */
record HfTokenizer(List<String> tokens, int[] types, List<String> merges, Map<String, Integer> specialIds,
        Map<String, Boolean> addSpecial, String chatTemplate) {

    static final int NORMAL = 1, UNUSED = 5, CONTROL = 3, USER_DEFINED = 4;
    static final String ENDOFTEXT = "<|endoftext|>";

    private static final String[] SPECIAL_TYPES = {"bos", "eos", "unk", "sep", "pad", "cls", "mask"};

    static HfTokenizer read(Path dir, Map<String, Object> config, int vocabSize) throws IOException {
        Path tokenizerJsonFile = dir.resolve("tokenizer.json");
        Map<String, Object> tokenizerJson = Files.isRegularFile(tokenizerJsonFile) ? readJson(tokenizerJsonFile) : null;
        Path configFile = dir.resolve("tokenizer_config.json");
        Map<String, Object> tokConfig = Files.isRegularFile(configFile) ? readJson(configFile) : null;

        // ---- the vocabulary
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Map<String, Object> model = null;
        if (tokenizerJson != null) {
            model = object(tokenizerJsonFile, tokenizerJson, "model");
            Object type = model.get("type");
            if (type != null && !"BPE".equals(type)) {
                throw ConversionException.of(tokenizerJsonFile, "model.type is " + type + ": GPT-2 needs a BPE tokenizer");
            }
            checkByteLevel(tokenizerJsonFile, tokenizerJson);
            Map<String, Object> v = object(tokenizerJsonFile, model, "vocab");
            for (Map.Entry<String, Object> e : v.entrySet()) {
                vocab.put(e.getKey(), id(tokenizerJsonFile, e.getValue(), "model.vocab[\"" + e.getKey() + "\"]"));
            }
        } else {
            Path vocabFile = dir.resolve("vocab.json");
            if (!Files.isRegularFile(vocabFile)) {
                throw ConversionException.of(dir, "no vocab.json (nor tokenizer.json): the GPT-2 tokenizer files vocab.json and "
                        + "merges.txt are needed beside config.json");
            }
            for (Map.Entry<String, Object> e : readJson(vocabFile).entrySet()) {
                vocab.put(e.getKey(), id(vocabFile, e.getValue(), "\"" + e.getKey() + "\""));
            }
        }

        // ---- added tokens: content -> special?
        Map<String, Boolean> added = new LinkedHashMap<>();
        List<Map<String, Object>> addedTokensJson = new ArrayList<>();
        if (tokenizerJson != null && tokenizerJson.get("added_tokens") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("content") instanceof String content)) {
                    throw ConversionException.of(tokenizerJsonFile, "added_tokens holds an entry without a content string");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) m;
                addedTokensJson.add(entry);
                if (entry.get("id") instanceof Long id) {
                    vocab.putIfAbsent(content, Math.toIntExact(id));
                }
                added.merge(content, Boolean.TRUE.equals(entry.get("special")), Boolean::logicalOr);
            }
        }
        if (tokConfig != null && tokConfig.get("added_tokens_decoder") instanceof Map<?, ?> dec) {
            for (Map.Entry<?, ?> e : dec.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> m) || !(m.get("content") instanceof String content)) {
                    throw ConversionException.of(configFile, "added_tokens_decoder[" + e.getKey() + "] has no content string");
                }
                int id;
                try {
                    id = Integer.parseInt((String) e.getKey());
                } catch (NumberFormatException ex) {
                    throw ConversionException.of(configFile, "added_tokens_decoder key " + e.getKey() + " is not a token id");
                }
                vocab.putIfAbsent(content, id);
                added.merge(content, Boolean.TRUE.equals(m.get("special")), Boolean::logicalOr);
            }
        }
        // GPT2Tokenizer's special tokens: bos, eos and unk default to <|endoftext|>
        for (String typ : SPECIAL_TYPES) {
            String key = typ + "_token";
            Object v = tokConfig != null && tokConfig.containsKey(key) ? tokConfig.get(key)
                    : (typ.equals("bos") || typ.equals("eos") || typ.equals("unk")) ? ENDOFTEXT : null;
            String content = content(v);
            if (content == null) {
                continue;
            }
            if (!vocab.containsKey(content)) {
                throw ConversionException.of(tokConfig != null ? configFile : dir, "the " + key + " " + content
                        + " is not in the vocabulary (a GPT-2 tokenizer has " + ENDOFTEXT + ")");
            }
            added.put(content, true);
        }
        if (tokConfig != null && tokConfig.get("additional_special_tokens") instanceof List<?> extra) {
            for (Object o : extra) {
                String content = content(o);
                if (content != null && vocab.containsKey(content)) {
                    added.put(content, true);
                }
            }
        }

        // ---- tokens and their types
        String[] byId = new String[vocabSize];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id >= vocabSize) {
                throw ConversionException.of(dir, "token " + e.getKey() + " has id " + id + ", but config.json's vocab_size is "
                        + vocabSize);
            }
            byId[id] = e.getKey();
        }
        List<String> tokens = new ArrayList<>(vocabSize);
        int[] types = new int[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            String t = byId[i];
            if (t == null) {
                tokens.add("[PAD" + i + "]");
                types[i] = UNUSED;
            } else if (added.containsKey(t)) {
                if (added.get(t) || looksSpecial(t)) {
                    types[i] = CONTROL;
                } else {
                    t = t.replace("\u2581", " ");
                    types[i] = USER_DEFINED;
                }
                tokens.add(t);
            } else {
                types[i] = NORMAL;
                tokens.add(t);
            }
        }

        // ---- merges
        List<String> merges = null;
        if (model != null && model.get("merges") instanceof List<?> ml && !ml.isEmpty()) {
            merges = new ArrayList<>(ml.size());
            for (Object o : ml) {
                if (o instanceof String s) {
                    merges.add(s);
                } else if (o instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String a
                        && pair.get(1) instanceof String b) {
                    merges.add(spaces(a) + " " + spaces(b));
                } else {
                    throw ConversionException.of(tokenizerJsonFile, "model.merges: unknown merge format " + o);
                }
            }
        }
        if (merges == null) {
            Path mergesFile = dir.resolve("merges.txt");
            if (!Files.isRegularFile(mergesFile)) {
                throw ConversionException.of(dir, "no merges.txt (nor merges in tokenizer.json): the GPT-2 tokenizer files "
                        + "vocab.json and merges.txt are needed beside config.json");
            }
            merges = readMerges(mergesFile);
        }

        // ---- special token ids and flags (gguf-py's SpecialVocab)
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        Map<String, Boolean> addSpecial = new LinkedHashMap<>();
        String chatTemplate = null;
        if (tokConfig != null && !tokConfig.isEmpty()) {
            // chat template: tokenizer_config's, else chat_template.jinja, else chat_template.json
            Object tpl = tokConfig.get("chat_template");
            if (!tokConfig.containsKey("chat_template")) {
                Path jinja = dir.resolve("chat_template.jinja");
                Path json = dir.resolve("chat_template.json");
                if (Files.isRegularFile(jinja)) {
                    tpl = Files.readString(jinja);
                } else if (Files.isRegularFile(json)) {
                    tpl = readJson(json).get("chat_template");
                }
            }
            if (tpl instanceof String s) {
                chatTemplate = s;
            } else if (tpl instanceof List<?>) {
                throw ConversionException.of(configFile, "named chat templates (a list) are not supported");
            }
            for (String typ : SPECIAL_TYPES) {
                if (tokConfig.get("add_" + typ + "_token") instanceof Boolean b) {
                    addSpecial.put(typ, b);
                }
                String content = content(tokConfig.get(typ + "_token"));
                if (content == null) {
                    continue;
                }
                for (Map<String, Object> at : addedTokensJson) {
                    if (content.equals(at.get("content"))) {
                        if (at.get("id") instanceof Long id) {
                            specialIds.putIfAbsent(typ, Math.toIntExact(id));
                        }
                        break;
                    }
                }
            }
        }
        for (String typ : SPECIAL_TYPES) {
            if (config.get(typ + "_token_id") instanceof Long id) {
                if (id < 0) {
                    throw ConversionException.of(dir.resolve("config.json"), typ + "_token_id is " + id);
                }
                specialIds.putIfAbsent(typ, Math.toIntExact(id));
            }
        }
        return new HfTokenizer(tokens, types, merges, specialIds, addSpecial, chatTemplate);
    }

    private static String spaces(String part) {
        return part.replace(' ', '\u0120');
    }

    private static String content(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map<?, ?> m && m.get("content") instanceof String s) {
            return s;
        }
        return null;
    }

    /** gguf-py's does_token_look_special. */
    static boolean looksSpecial(String t) {
        return t.equals("<pad>") || t.equals("<mask>") || t.equals("<2mass>") || t.equals("[@BOS@]")
                || (t.startsWith("<|") && t.endsWith("|>"))
                || (t.startsWith("<\uFF5C") && t.endsWith("\uFF5C>"))
                || (t.startsWith("<unused") && t.endsWith(">"));
    }

    /** A tokenizer.json must be GPT-2's byte-level BPE: no normalizer, a ByteLevel pre-tokenizer. */
    private static void checkByteLevel(Path file, Map<String, Object> tj) throws ConversionException {
        Object norm = tj.get("normalizer");
        if (norm != null && norm != Json.NULL) {
            throw ConversionException.of(file, "has a normalizer (" + typeOf(norm) + "): not GPT-2's tokenizer");
        }
        Object pre = tj.get("pre_tokenizer");
        if (pre != null && pre != Json.NULL) {
            if (!"ByteLevel".equals(typeOf(pre))) {
                throw ConversionException.of(file, "pre_tokenizer is " + typeOf(pre) + ": GPT-2's is ByteLevel");
            }
            if (pre instanceof Map<?, ?> m && (Boolean.TRUE.equals(m.get("add_prefix_space")) || Boolean.FALSE.equals(m.get("use_regex")))) {
                throw ConversionException.of(file, "pre_tokenizer ByteLevel with add_prefix_space or without GPT-2's regex is not supported");
            }
        }
        Object post = tj.get("post_processor");
        if (post != null && post != Json.NULL && !"ByteLevel".equals(typeOf(post))) {
            throw ConversionException.of(file, "post_processor is " + typeOf(post) + ": GPT-2 adds no special tokens");
        }
    }

    private static String typeOf(Object o) {
        return o instanceof Map<?, ?> m && m.get("type") instanceof String s ? s : Json.typeName(o);
    }

    /** merges.txt as gguf-py reads it: a first line starting with '#' skipped, blank lines skipped, "a b" pairs. */
    static List<String> readMerges(Path file) throws IOException {
        List<String> lines = Files.readString(file).lines().toList();
        List<String> merges = new ArrayList<>(lines.size());
        int start = !lines.isEmpty() && PyStrings.strip(lines.get(0)).startsWith("#") ? 1 : 0;
        for (int k = start; k < lines.size(); k++) {
            String line = PyStrings.strip(lines.get(k));
            if (line.isEmpty()) {
                continue;
            }
            List<String> parts = PyStrings.split(line, 4);
            if (parts.size() != 2) {
                throw ConversionException.of(file, "line " + (k + 1) + " is not a pair of tokens: " + line);
            }
            merges.add(parts.get(0) + " " + parts.get(1));
        }
        return merges;
    }

    private static int id(Path file, Object v, String where) throws ConversionException {
        if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
            throw ConversionException.of(file, where + " is " + v + ", not a token id");
        }
        return (int) (long) l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, Map<String, Object> parent, String key) throws ConversionException {
        if (!(parent.get(key) instanceof Map<?, ?> m)) {
            throw ConversionException.of(file, "no \"" + key + "\" object");
        }
        return (Map<String, Object>) m;
    }

    /** A JSON object file; ConversionException naming it if it is not one. */
    static Map<String, Object> readJson(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw ConversionException.of(file, "not UTF-8 text");
        }
        try {
            return Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw ConversionException.of(file, "not a valid JSON object: " + e.getMessage());
        }
    }
}
