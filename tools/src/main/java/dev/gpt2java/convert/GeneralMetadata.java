package dev.gpt2java.convert;

import dev.gpt2java.gguf.GgufWriter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code general.*} keys that llama.cpp's converter derives from a model folder (gguf-py's
 * {@code Metadata.load} and {@code set_gguf_meta_model}, no override file): recommended sampling from
 * {@code generation_config.json}; name, basename, size label, finetune, version and organization from the
 * model card, from {@code _name_or_path} in {@code config.json}, and from the folder's name; license, tags,
 * languages, base models and datasets from the model card. The size label falls back to the parameter
 * count ({@code 124M}). Written in gguf-py's order.
 */
final class GeneralMetadata {

    // sampling (generation_config.json)
    String samplingSequence;
    Long samplingTopK;
    Double samplingTopP;
    Double samplingMinP;
    Double samplingXtcProbability;
    Double samplingXtcThreshold;
    Double samplingTemp;
    Long samplingPenaltyLastN;
    Double samplingPenaltyRepeat;
    Long samplingMirostat;
    Double samplingMirostatTau;
    Double samplingMirostatEta;

    // authorship
    String name;
    String author;
    String version;
    String organization;
    String finetune;
    String basename;
    String description;
    String sizeLabel;
    String license;
    String licenseName;
    String licenseLink;
    String sourceUrl;
    String sourceDoi;
    String sourceUuid;
    String sourceRepoUrl;
    List<Map<String, String>> baseModels;
    List<Map<String, String>> datasets;
    List<String> tags;
    List<String> languages;

    /**
     * @param folderName   the model folder's last path element, as given ("" for none)
     * @param config       config.json
     * @param card         the model card's front matter
     * @param generation   generation_config.json (empty if absent or unreadable)
     * @param totalParams  the number of values in all tensors written
     */
    static GeneralMetadata derive(String folderName, Map<String, Object> config, ModelCard card,
            Map<String, Object> generation, long totalParams) {
        GeneralMetadata m = new GeneralMetadata();
        m.fromModelCard(card, totalParams);
        Object nameOrPath = config.get("_name_or_path");
        if (nameOrPath instanceof String id && id.chars().filter(c -> c == '/').count() <= 1) {
            m.fromId(id, totalParams);
        }
        m.fromId(folderName, totalParams);
        m.fromGenerationConfig(generation);
        if (m.name == null) {
            m.name = folderName;
        }
        if (m.sizeLabel == null && totalParams > 0) {
            m.sizeLabel = roundedCount(totalParams);
        }
        return m;
    }

    private void fromGenerationConfig(Map<String, Object> g) {
        samplingSequence = g.containsKey("sequence") ? str(g.get("sequence")) : samplingSequence;
        samplingTopK = g.containsKey("top_k") ? integer(g.get("top_k")) : samplingTopK;
        samplingTopP = g.containsKey("top_p") ? real(g.get("top_p")) : samplingTopP;
        samplingMinP = g.containsKey("min_p") ? real(g.get("min_p")) : samplingMinP;
        samplingXtcProbability = g.containsKey("xtc_probability") ? real(g.get("xtc_probability")) : samplingXtcProbability;
        samplingXtcThreshold = g.containsKey("xtc_threshold") ? real(g.get("xtc_threshold")) : samplingXtcThreshold;
        samplingTemp = g.containsKey("temperature") ? real(g.get("temperature")) : samplingTemp;
        samplingPenaltyLastN = g.containsKey("penalty_last_n") ? integer(g.get("penalty_last_n")) : samplingPenaltyLastN;
        if (g.containsKey("penalty_repeat")) {
            samplingPenaltyRepeat = real(g.get("penalty_repeat"));
        } else if (g.containsKey("repetition_penalty")) {
            samplingPenaltyRepeat = real(g.get("repetition_penalty"));
        }
        samplingMirostat = g.containsKey("mirostat") ? integer(g.get("mirostat")) : samplingMirostat;
        samplingMirostatTau = g.containsKey("mirostat_tau") ? real(g.get("mirostat_tau")) : samplingMirostatTau;
        samplingMirostatEta = g.containsKey("mirostat_eta") ? real(g.get("mirostat_eta")) : samplingMirostatEta;
    }

    private static String str(Object v) {
        return v instanceof String s ? s : null;
    }

    private static Long integer(Object v) {
        return v instanceof Long l ? l : null;
    }

    private static Double real(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    // ---- the model card

    private void fromModelCard(ModelCard card, long totalParams) {
        Map<String, Object> c = card.values();
        String[][] direct = {
                {"name", "name"}, {"author", "author"}, {"version", "version"}, {"organization", "organization"},
                {"description", "description"}, {"finetune", "finetune"}, {"basename", "basename"},
                {"size_label", "size_label"}, {"source_url", "url"}, {"source_doi", "doi"}, {"source_uuid", "uuid"},
                {"source_repo_url", "repo_url"},
                {"name", "model_name"}, {"author", "model_author"}, {"version", "model_version"},
                {"organization", "model_organization"}, {"description", "model_description"},
                {"finetune", "model_finetune"}, {"basename", "model_basename"}, {"size_label", "model_size_label"},
                {"source_url", "model_url"}, {"source_doi", "model_doi"}, {"source_uuid", "model_uuid"},
                {"source_repo_url", "model_repo_url"},
                {"name", "model_name"}, {"author", "model_creator"}, {"basename", "model_type"}};
        for (String[] d : direct) {
            useCard(c, d[0], d[1]);
        }
        baseModels = cardReferences(c, baseModels, totalParams, true, "base_model", "base_models", "base_model_sources");
        datasets = cardReferences(c, datasets, totalParams, false, "datasets", "dataset", "dataset_sources");
        useCard(c, "license", "license");
        useCard(c, "license_name", "license_name");
        useCard(c, "license_link", "license_link");
        tags = appendCard(c, tags, "tags");
        tags = appendCard(c, tags, "pipeline_tag");
        languages = appendCard(c, languages, "languages");
        languages = appendCard(c, languages, "language");
    }

    private static List<String> strings(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                out.add((String) o);
            }
            return out;
        }
        return List.of();
    }

    private static final Pattern HF_URL = Pattern.compile("https?://huggingface.co/([^/]+/[^/]+)");

    /** The name, organization and version an id holds, as far as it holds them. */
    private static void putIdParts(Map<String, String> e, IdComponents ic) {
        if (ic.fullName() != null) {
            e.put("name", idToTitle(ic.fullName()));
        }
        if (ic.org() != null) {
            e.put("organization", idToTitle(ic.org()));
        }
        if (ic.version() != null) {
            e.put("version", ic.version());
        }
    }

    /**
     * The entries of the card's ids under the first of {@code keys} it has (gguf-py's precedence), or
     * {@code current} when it has none of them.
     */
    private static List<Map<String, String>> cardReferences(Map<String, Object> c, List<Map<String, String>> current,
            long totalParams, boolean isModel, String... keys) {
        for (String k : keys) {
            if (c.containsKey(k)) {
                List<Map<String, String>> out = new ArrayList<>();
                for (String id : strings(c.get(k))) {
                    out.add(reference(id, totalParams, isModel));
                }
                return out;
            }
        }
        return current;
    }

    /** A base model or dataset entry from a Hugging Face id or a URL (gguf-py's rules). */
    private static Map<String, String> reference(String id, long totalParams, boolean isModel) {
        Map<String, String> e = new LinkedHashMap<>();
        if (id.startsWith("http://") || id.startsWith("https://") || id.startsWith("ssh://")) {
            e.put("repo_url", id);
            if (id.contains("huggingface.co")) {
                var mt = HF_URL.matcher(id);
                if (mt.matches()) {
                    putIdParts(e, IdComponents.of(mt.group(1), totalParams));
                }
            }
        } else {
            IdComponents ic = IdComponents.of(id, totalParams);
            putIdParts(e, ic);
            if (ic.org() != null && ic.fullName() != null) {
                e.put("repo_url", "https://huggingface.co/" + ic.org() + "/" + ic.fullName());
            }
        }
        return e;
    }

    private void useCard(Map<String, Object> c, String field, String cardKey) {
        if (!c.containsKey(cardKey)) {
            return;
        }
        Object v = c.get(cardKey);
        String s = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : (String) v;
        switch (field) {
            case "name" -> name = name == null ? s : name;
            case "author" -> author = author == null ? s : author;
            case "version" -> version = version == null ? s : version;
            case "organization" -> organization = organization == null ? s : organization;
            case "description" -> description = description == null ? s : description;
            case "finetune" -> finetune = finetune == null ? s : finetune;
            case "basename" -> basename = basename == null ? s : basename;
            case "size_label" -> sizeLabel = sizeLabel == null ? s : sizeLabel;
            case "source_url" -> sourceUrl = sourceUrl == null ? s : sourceUrl;
            case "source_doi" -> sourceDoi = sourceDoi == null ? s : sourceDoi;
            case "source_uuid" -> sourceUuid = sourceUuid == null ? s : sourceUuid;
            case "source_repo_url" -> sourceRepoUrl = sourceRepoUrl == null ? s : sourceRepoUrl;
            case "license" -> license = license == null ? s : license;
            case "license_name" -> licenseName = licenseName == null ? s : licenseName;
            case "license_link" -> licenseLink = licenseLink == null ? s : licenseLink;
            default -> throw new AssertionError(field);
        }
    }

    private static List<String> appendCard(Map<String, Object> c, List<String> current, String cardKey) {
        Object v = c.get(cardKey);
        if (v == null) {
            return current;
        }
        List<String> out = current == null ? new ArrayList<>() : current;
        out.addAll(strings(v));
        return out;
    }

    // ---- ids: "org/name-size-finetune-version"

    private void fromId(String id, long totalParams) {
        IdComponents ic = IdComponents.of(id, totalParams);
        if (name == null && ic.fullName() != null) {
            name = idToTitle(ic.fullName());
        }
        if (organization == null && ic.org() != null) {
            organization = idToTitle(ic.org());
        }
        if (basename == null && ic.basename() != null) {
            basename = ic.basename();
        }
        if (finetune == null && ic.finetune() != null) {
            finetune = ic.finetune();
        }
        if (version == null && ic.version() != null) {
            version = ic.version();
        }
        if (sizeLabel == null && ic.sizeLabel() != null) {
            sizeLabel = ic.sizeLabel();
        }
    }

    /** gguf-py's {@code Metadata.get_model_id_components}: the parts of a Hugging Face style model id. */
    record IdComponents(String fullName, String org, String basename, String finetune, String version, String sizeLabel) {

        private static final int RX = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS;
        private static final Pattern VERSION = Pattern.compile("(v|iter)?\\d+([.]\\d+)*", RX);
        private static final Pattern QUANT_TYPE = Pattern.compile("i?q\\d(_\\w)*|b?fp?(16|32)", RX);
        private static final Pattern SIZE = Pattern.compile(
                "(([A]|\\d+[x])?\\d+([._]\\d+)?[KMBT][\\d]?|small|mini|medium|large|x?xl)", RX);
        private static final Pattern FINETUNE = Pattern.compile("chat|instruct|vision|lora", RX);
        private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

        static IdComponents of(String modelId, long totalParams) {
            if (modelId == null) {
                return new IdComponents(null, null, null, null, null, null);
            }
            if (modelId.contains(" ")) {
                return new IdComponents(modelId, null, null, null, null, null);
            }
            String org = null;
            String full = modelId;
            int slash = modelId.indexOf('/');
            if (slash >= 0) {
                org = modelId.substring(0, slash);
                full = modelId.substring(slash + 1);
            }
            if (org != null && !org.isEmpty() && org.charAt(0) == '.') {
                org = null;
            }
            List<String> parts = new ArrayList<>();
            for (String p : full.split("-", -1)) {
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
            List<Set<String>> types = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                types.add(new LinkedHashSet<>());
            }
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                Set<String> t = types.get(i);
                if (VERSION.matcher(part).matches()) {
                    t.add("version");
                } else if (QUANT_TYPE.matcher(part).matches()) {
                    t.add("type");
                    parts.set(i, part.toUpperCase(java.util.Locale.ROOT));
                } else if (i > 0 && SIZE.matcher(part).matches()) {
                    part = part.replace("_", ".");
                    if (isDecimal(part.charAt(part.length() - 1))) {
                        part = part.substring(0, part.length() - 2) + "." + part.charAt(part.length() - 1)
                                + part.charAt(part.length() - 2);
                    }
                    if (part.length() > 1 && isDecimal(part.charAt(part.length() - 2))) {
                        char last = part.charAt(part.length() - 1);
                        if ("kmbt".indexOf(last) >= 0) {
                            part = part.substring(0, part.length() - 1) + Character.toUpperCase(last);
                        }
                    }
                    if (totalParams != 0) {
                        String num = part.substring(0, part.length() - 1);
                        if (NUMBER.matcher(num).matches()) {
                            double labelParams = Double.parseDouble(num)
                                    * Math.pow(1000, " KMBT".indexOf(part.charAt(part.length() - 1)));
                            if ((totalParams < 0 && labelParams < Math.floorDiv(Math.abs(totalParams), 8))
                                    || (totalParams > 0 && Math.abs(labelParams - totalParams) > Math.floorDiv(7 * totalParams, 8))) {
                                t.add("finetune");
                                part = part.substring(0, part.length() - 1)
                                        + Character.toLowerCase(part.charAt(part.length() - 1));
                            }
                        }
                    }
                    if (t.isEmpty()) {
                        t.add("size_label");
                    }
                    parts.set(i, part);
                } else if (i > 0 && FINETUNE.matcher(part).matches()) {
                    if (totalParams < 0 && part.equalsIgnoreCase("lora")) {
                        t.add("type");
                    } else {
                        t.add("finetune");
                    }
                }
            }
            // word-based size labels go when there is a number-based one
            boolean numericSize = false;
            for (int i = 0; i < parts.size(); i++) {
                if (types.get(i).contains("size_label") && parts.get(i).chars().anyMatch(GeneralMetadata::isDecimal)) {
                    numericSize = true;
                }
            }
            if (numericSize) {
                for (int i = 0; i < parts.size(); i++) {
                    if (types.get(i).contains("size_label") && parts.get(i).chars().allMatch(Character::isLetter)) {
                        types.get(i).remove("size_label");
                    }
                }
            }
            boolean atStart = true;
            for (int i = 0; i < parts.size(); i++) {
                Set<String> t = types.get(i);
                String part = parts.get(i);
                if (atStart && ((t.isEmpty() && Character.isLetter(part.codePointAt(0))) || t.contains("version"))) {
                    t.add("basename");
                } else {
                    atStart = false;
                    if (t.isEmpty()) {
                        t.add("finetune");
                    }
                }
            }
            for (int i = parts.size() - 1; i >= 0; i--) {
                Set<String> t = types.get(i);
                if (t.contains("basename") && t.size() > 1) {
                    t.remove("basename");
                } else {
                    break;
                }
            }
            String basename = join(parts, types, "basename", null, false);
            String sizeLabel = join(parts, types, "size_label", null, true);
            String finetune = join(parts, types, "finetune", null, false);
            String version = join(parts, types, "version", "basename", false);
            if (sizeLabel == null && finetune == null && version == null) {
                basename = null;
            }
            return new IdComponents(full, org, basename, finetune, version, sizeLabel);
        }

        private static String join(List<String> parts, List<Set<String>> types, String want, String exclude, boolean dedupe) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Set<String> t = types.get(i);
                if (t.contains(want) && (exclude == null || !t.contains(exclude))
                        && !(dedupe && out.contains(parts.get(i)))) {
                    out.add(parts.get(i));
                }
            }
            return out.isEmpty() ? null : String.join("-", out);
        }
    }

    static boolean isDecimal(int c) {
        return Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER;
    }

    private static final Pattern VERSION_OR_NUMBER = Pattern.compile("(v\\d+(?:\\.\\d+)*|\\d.*)", Pattern.UNICODE_CHARACTER_CLASS);

    /** gguf-py's {@code Metadata.id_to_title}: "gpt2-medium" gives "Gpt2 Medium". */
    static String idToTitle(String s) {
        List<String> words = new ArrayList<>();
        for (String w : PyStrings.split(PyStrings.strip(s).replace('-', ' '), Integer.MAX_VALUE)) {
            words.add(isLower(w) && !VERSION_OR_NUMBER.matcher(w).matches() ? title(w) : w);
        }
        return String.join(" ", words);
    }

    private static boolean isCased(int c) {
        return Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
    }

    /** Python's str.islower: at least one cased character, all cased characters lowercase. */
    private static boolean isLower(String w) {
        boolean cased = false;
        for (int k = 0; k < w.length(); ) {
            int c = w.codePointAt(k);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
            k += Character.charCount(c);
        }
        return cased;
    }

    /** Python's str.title: each run of cased characters starts upper-cased, the rest lower-cased. */
    private static String title(String w) {
        StringBuilder sb = new StringBuilder();
        boolean prevCased = false;
        for (int k = 0; k < w.length(); ) {
            int c = w.codePointAt(k);
            if (isCased(c)) {
                sb.appendCodePoint(prevCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
                prevCased = true;
            } else {
                sb.appendCodePoint(c);
                prevCased = false;
            }
            k += Character.charCount(c);
        }
        return sb.toString();
    }

    /** gguf-py's {@code model_weight_count_rounded_notation} with two significant digits at least: 124M, 1.6B. */
    static String roundedCount(long n) {
        double scaled;
        String suffix;
        if (n > 1e12) {
            scaled = n * 1e-12;
            suffix = "T";
        } else if (n > 1e9) {
            scaled = n * 1e-9;
            suffix = "B";
        } else if (n > 1e6) {
            scaled = n * 1e-6;
            suffix = "M";
        } else {
            scaled = n * 1e-3;
            suffix = "K";
        }
        // Python's round() and "%.{fix}f" both round the exact binary value, ties to even
        String whole = new BigDecimal(scaled).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        String stripped = whole.replaceFirst("^0+", "");
        int fix = Math.max(2 - stripped.length(), 0);
        return new BigDecimal(scaled).setScale(fix, RoundingMode.HALF_EVEN).toPlainString() + suffix;
    }

    // ---- writing

    void write(GgufWriter w) {
        if (samplingSequence != null) {
            w.putString("general.sampling.sequence", samplingSequence);
        }
        if (samplingTopK != null) {
            w.putI32("general.sampling.top_k", Math.toIntExact(samplingTopK));
        }
        putF32(w, "general.sampling.top_p", samplingTopP);
        putF32(w, "general.sampling.min_p", samplingMinP);
        putF32(w, "general.sampling.xtc_probability", samplingXtcProbability);
        putF32(w, "general.sampling.xtc_threshold", samplingXtcThreshold);
        putF32(w, "general.sampling.temp", samplingTemp);
        if (samplingPenaltyLastN != null) {
            w.putI32("general.sampling.penalty_last_n", Math.toIntExact(samplingPenaltyLastN));
        }
        putF32(w, "general.sampling.penalty_repeat", samplingPenaltyRepeat);
        if (samplingMirostat != null) {
            w.putI32("general.sampling.mirostat", Math.toIntExact(samplingMirostat));
        }
        putF32(w, "general.sampling.mirostat_tau", samplingMirostatTau);
        putF32(w, "general.sampling.mirostat_eta", samplingMirostatEta);

        w.putString("general.name", name);
        putStr(w, "general.author", author);
        putStr(w, "general.version", version);
        putStr(w, "general.organization", organization);
        putStr(w, "general.finetune", finetune);
        putStr(w, "general.basename", basename);
        putStr(w, "general.description", description);
        putStr(w, "general.size_label", sizeLabel);
        putStr(w, "general.license", license);
        putStr(w, "general.license.name", licenseName);
        putStr(w, "general.license.link", licenseLink);
        putStr(w, "general.source.url", sourceUrl);
        putStr(w, "general.source.doi", sourceDoi);
        putStr(w, "general.source.uuid", sourceUuid);
        putStr(w, "general.source.repo_url", sourceRepoUrl);
        references(w, "general.base_model", baseModels);
        references(w, "general.dataset", datasets);
        if (tags != null && !tags.isEmpty()) {
            w.putStrings("general.tags", tags);
        }
        if (languages != null && !languages.isEmpty()) {
            w.putStrings("general.languages", languages);
        }
    }

    private static void references(GgufWriter w, String prefix, List<Map<String, String>> list) {
        if (list == null) {
            return;
        }
        w.putU32(prefix + ".count", list.size());
        String[] fields = {"name", "author", "version", "organization", "description", "url", "doi", "uuid", "repo_url"};
        for (int k = 0; k < list.size(); k++) {
            for (String f : fields) {
                String v = list.get(k).get(f);
                if (v != null) {
                    w.putString(prefix + "." + k + "." + f, v);
                }
            }
        }
    }

    private static void putStr(GgufWriter w, String key, String v) {
        if (v != null) {
            w.putString(key, v);
        }
    }

    private static void putF32(GgufWriter w, String key, Double v) {
        if (v != null) {
            w.putF32(key, v.floatValue());
        }
    }
}
