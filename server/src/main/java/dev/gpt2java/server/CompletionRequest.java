package dev.gpt2java.server;

import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.sampling.Stage;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code POST /v1/completions} body, read and judged: every field of OpenAI's completions API the server takes,
 * and the extensions (docs/SERVING.md). Each wrong field is a 400 naming it ({@link ApiException#invalid}).
 *
 * @param prompts      the prompts' tokens, one array each (a string is encoded; "" is the BOS token)
 * @param maxTokens    tokens to generate per choice; 0 only with {@code echo} (the prompt scored, nothing generated)
 * @param n            choices per prompt
 * @param bestOf       sequences generated per prompt, the {@code n} with the best mean logprob returned; n..20
 * @param stream       server-sent events
 * @param includeUsage {@code stream_options.include_usage}
 * @param echo         the prompt before each choice's text
 * @param logprobs     top alternatives per token, 0..5; -1: no {@code logprobs} object
 * @param generation   the limits of each generation (max/min tokens, EOS, stop strings, n-gram ban, top logprobs)
 * @param sampling     the sampler's parameters, the seed that of choice 0; null for beam search
 * @param beam         the beam search (num_beams > 1), or null
 */
record CompletionRequest(List<int[]> prompts, int maxTokens, int n, int bestOf, boolean stream, boolean includeUsage,
                         boolean echo, int logprobs, GenerationParams generation, SamplingParams sampling,
                         BeamSearchParams beam) {

    /** OpenAI's limits: n up to 128, best_of up to 20, 4 stop strings, logprobs up to 5. */
    static final int MAX_N = 128;
    static final int MAX_BEST_OF = 20;
    static final int MAX_STOP = 4;
    static final int MAX_LOGPROBS = 5;
    /** Beam search runs beside the batching engine on a session of its own: a few beams only. */
    static final int MAX_BEAMS = 16;

    /** The sampling fields, refused with beam search (it is deterministic, and has no logprobs or stop strings). */
    private static final List<String> NOT_WITH_BEAMS = List.of("temperature", "top_p", "top_k", "min_p", "typical_p",
            "presence_penalty", "frequency_penalty", "repetition_penalty", "repeat_last_n", "logit_bias", "seed",
            "logprobs", "stop", "best_of");

    /**
     * What a request is judged against.
     *
     * @param modelId    the served model's name
     * @param nVocab     token ids are in 0..nVocab-1
     * @param bosToken   the prompt of an empty string, or -1
     * @param eosToken   the token that ends a generation, or -1
     * @param promptMax  the most tokens a prompt may have
     * @param cells      a slot's KV cells: prompt + max_tokens must fit
     * @param maxChoices the most sequences one request may ask for (prompts × best_of)
     */
    record Limits(String modelId, int nVocab, int bosToken, int eosToken, int promptMax, int cells, int maxChoices) {
    }

    /** Whether the request is beam search. */
    boolean isBeamSearch() {
        return beam != null;
    }

    /** The sampler of choice {@code j} of a prompt: its own generator, seeded {@code seed + j}. */
    Sampler sampler(int j) {
        SamplingParams p = sampling.withSeed(sampling.seed() + j);
        return p.withSeed(0).equals(SamplingParams.greedy().withLastN(p.lastN())) ? Sampler.GREEDY : p.newSampler();
    }

    /** Tokens in all prompts (usage's prompt_tokens). */
    int promptTokens() {
        return prompts.stream().mapToInt(p -> p.length).sum();
    }

    static CompletionRequest parse(JsonNode body, Gpt2Tokenizer tokenizer, Limits limits) {
        JsonFields f = JsonFields.of(body);

        String model = f.string("model");
        if (model == null) {
            throw ApiException.invalid("model", "'model' is required (this server serves '" + limits.modelId() + "')");
        }
        if (!model.equals(limits.modelId())) {
            throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + model + "' does not exist: this server serves '" + limits.modelId() + "'", 0);
        }
        List<int[]> prompts = prompts(f.require("prompt"), tokenizer, limits);

        String suffix = f.string("suffix");
        if (suffix != null && !suffix.isEmpty()) {
            throw ApiException.invalid("suffix", "'suffix' is not supported: GPT-2 continues a text, it does not fill in "
                    + "the middle");
        }
        f.string("user"); // taken, not used

        boolean echo = f.bool("echo", false);
        int maxTokens = f.integer("max_tokens", 0, limits.cells(), 16);
        if (maxTokens == 0 && !echo) {
            throw ApiException.invalid("max_tokens", "'max_tokens' must be in 1.." + limits.cells()
                    + " (0 only with echo: the prompt scored, nothing generated), was 0");
        }
        for (int[] p : prompts) {
            if (p.length + maxTokens > limits.cells()) {
                throw ApiException.invalid("max_tokens", "context_length_exceeded", "this server's context is "
                        + limits.cells() + " tokens per request, however you requested " + (p.length + maxTokens)
                        + " tokens (" + p.length + " in your prompt; " + maxTokens + " for the completion): reduce "
                        + "the prompt or max_tokens");
            }
        }
        int minTokens = f.integer("min_tokens", 0, Math.max(maxTokens, 0), 0);
        int noRepeat = f.integer("no_repeat_ngram_size", 0, limits.cells(), 0);
        boolean ignoreEos = f.bool("ignore_eos", false);
        int n = f.integer("n", 1, MAX_N, 1);

        boolean stream = f.bool("stream", false);
        boolean includeUsage = false;
        JsonNode so = f.get("stream_options");
        if (so != null) {
            if (!stream) {
                throw ApiException.invalid("stream_options", "'stream_options' is only allowed with stream: true");
            }
            JsonFields sf = JsonFields.of(so);
            try {
                includeUsage = sf.bool("include_usage", false);
                sf.refuseUnread();
            } catch (ApiException e) {
                throw ApiException.invalid("stream_options", "'stream_options': " + e.getMessage());
            }
        }

        int numBeams = f.integer("num_beams", 1, MAX_BEAMS, 1);
        int[] eos = ignoreEos || limits.eosToken() < 0 ? new int[0] : new int[] {limits.eosToken()};
        int genMax = Math.max(1, maxTokens);
        if (numBeams > 1) {
            for (String name : NOT_WITH_BEAMS) {
                if (f.has(name)) {
                    throw ApiException.invalid(name, "'" + name + "' cannot be combined with num_beams > 1 (beam search "
                            + "is deterministic, without stop strings or logprobs)");
                }
            }
            if (n > numBeams) {
                throw ApiException.invalid("n", "'n' must be in 1..num_beams (" + numBeams + ") with beam search, was " + n);
            }
            double lengthPenalty = f.number("length_penalty", -100, 100, 1.0);
            EarlyStopping early = earlyStopping(f.get("early_stopping"));
            f.refuseUnread();
            checkChoices(prompts.size(), 1, limits);
            BeamSearchParams beam = new BeamSearchParams(numBeams, lengthPenalty, early, n, noRepeat, genMax,
                    Math.min(minTokens, genMax), eos);
            return new CompletionRequest(prompts, maxTokens, n, n, stream, includeUsage, echo, -1,
                    beam.toGenerationParams(), null, beam);
        }
        for (String name : List.of("length_penalty", "early_stopping")) {
            if (f.has(name)) {
                throw ApiException.invalid(name, "'" + name + "' is a beam-search option: give num_beams > 1 too");
            }
        }

        int bestOf = f.integer("best_of", 1, MAX_BEST_OF, n);
        if (bestOf < n) {
            throw ApiException.invalid("best_of", "'best_of' must be >= n (" + n + "), was " + bestOf);
        }
        if (stream && bestOf > n) {
            throw ApiException.invalid("best_of", "'best_of' cannot be used with stream: true");
        }
        checkChoices(prompts.size(), bestOf, limits);
        JsonNode lp = f.get("logprobs");
        int logprobs = lp == null ? -1 : JsonFields.toInt("logprobs", lp, 0, MAX_LOGPROBS);
        List<String> stop = stop(f.get("stop"));

        double temperature = f.number("temperature", 0, 2, 1);
        double topP = f.number("top_p", 0, 1, 1);
        int topK = f.integer("top_k", 0, limits.nVocab(), 0);
        double minP = f.number("min_p", 0, 1, 0);
        double typicalP = f.number("typical_p", 0, 1, 1);
        if (typicalP == 0) {
            throw ApiException.invalid("typical_p", "'typical_p' must be in (0, 1], was 0");
        }
        double presence = f.number("presence_penalty", -2, 2, 0);
        double frequency = f.number("frequency_penalty", -2, 2, 0);
        double repetition = f.number("repetition_penalty", 0, 100, 1);
        if (repetition == 0) {
            throw ApiException.invalid("repetition_penalty", "'repetition_penalty' must be in (0, 100], was 0");
        }
        int lastN = f.integer("repeat_last_n", -1, Integer.MAX_VALUE, -1);
        Map<Integer, Float> bias = logitBias(f.get("logit_bias"), limits.nVocab());
        Long seed = f.longInteger("seed");
        f.refuseUnread();

        SamplingParams sampling = new SamplingParams(temperature, topK, topP, minP, typicalP, 1, repetition, presence,
                frequency, lastN, bias, seed != null ? seed : new SecureRandom().nextLong(), Stage.DEFAULT_ORDER);
        GenerationParams generation = new GenerationParams(genMax, Math.min(minTokens, genMax), eos, noRepeat, stop,
                Math.max(logprobs, 0));
        return new CompletionRequest(prompts, maxTokens, n, bestOf, stream, includeUsage, echo, logprobs, generation,
                sampling, null);
    }

    private static void checkChoices(int nPrompts, int perPrompt, Limits limits) {
        long choices = (long) nPrompts * perPrompt;
        if (choices > limits.maxChoices()) {
            throw ApiException.invalid("n", "'n' (or best_of) × prompts asks for " + choices + " sequences (" + nPrompts
                    + " prompts × " + perPrompt + "); this server takes at most " + limits.maxChoices()
                    + " at once (its slots and queue)");
        }
    }

    /** A string, an array of strings, of token ids, or of token-id arrays: the prompts' tokens. */
    private static List<int[]> prompts(JsonNode v, Gpt2Tokenizer tokenizer, Limits limits) {
        List<int[]> out = new ArrayList<>();
        String shapes = "'prompt' must be a string, an array of strings, an array of token ids or an array of token-id "
                + "arrays";
        if (v.isTextual()) {
            out.add(encode(v.textValue(), tokenizer, limits));
        } else if (v.isArray()) {
            if (v.isEmpty()) {
                throw ApiException.invalid("prompt", "'prompt' must not be an empty array");
            }
            JsonNode first = v.get(0);
            if (first.isTextual()) {
                for (JsonNode s : v) {
                    if (!s.isTextual()) {
                        throw ApiException.invalid("prompt", shapes + ": an array of strings holds " + JsonFields.kind(s));
                    }
                    out.add(encode(s.textValue(), tokenizer, limits));
                }
            } else if (first.isNumber()) {
                out.add(tokenIds(v, "prompt", limits));
            } else if (first.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    JsonNode a = v.get(i);
                    if (!a.isArray()) {
                        throw ApiException.invalid("prompt", shapes + ": an array of token-id arrays holds "
                                + JsonFields.kind(a));
                    }
                    out.add(tokenIds(a, "prompt[" + i + "]", limits));
                }
            } else {
                throw ApiException.invalid("prompt", shapes + ", was an array of " + JsonFields.kind(first));
            }
        } else {
            throw ApiException.invalid("prompt", shapes + ", was " + JsonFields.kind(v));
        }
        for (int[] p : out) {
            if (p.length > limits.promptMax()) {
                throw ApiException.invalid("prompt", "context_length_exceeded", "the prompt has " + p.length
                        + " tokens; this server takes at most " + limits.promptMax() + " per prompt");
            }
        }
        return out;
    }

    private static int[] encode(String text, Gpt2Tokenizer tokenizer, Limits limits) {
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            if (limits.bosToken() < 0) {
                throw ApiException.invalid("prompt", "the prompt is empty and the model names no BOS token to start from");
            }
            return new int[] {limits.bosToken()};
        }
        return ids;
    }

    /** Token ids of {@code where} (the prompt or prompt[i]), each in the vocabulary, at least one. */
    static int[] tokenIds(JsonNode a, String where, Limits limits) {
        if (a.isEmpty()) {
            throw ApiException.invalid("prompt", "'" + where + "' must hold at least one token id");
        }
        int[] ids = new int[a.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = a.get(i);
            if (!t.isIntegralNumber()) {
                throw ApiException.invalid("prompt", "'" + where + "' must hold token ids (integers), has "
                        + JsonFields.kind(t) + " at " + i);
            }
            if (!t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= limits.nVocab()) {
                throw ApiException.invalid("prompt", "'" + where + "' holds the token id " + t + " at " + i
                        + ", outside the vocabulary 0.." + (limits.nVocab() - 1));
            }
            ids[i] = t.intValue();
        }
        return ids;
    }

    private static List<String> stop(JsonNode v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            if (v.size() > MAX_STOP) {
                throw ApiException.invalid("stop", "'stop' holds at most " + MAX_STOP + " strings, has " + v.size());
            }
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw ApiException.invalid("stop", "'stop' must be a string or an array of strings, holds "
                            + JsonFields.kind(s));
                }
                out.add(s.textValue());
            }
        } else {
            throw ApiException.invalid("stop", "'stop' must be a string or an array of strings, was " + JsonFields.kind(v));
        }
        if (out.contains("")) {
            throw ApiException.invalid("stop", "'stop' must not hold an empty string");
        }
        return out;
    }

    /** {"50256": -100, ...}: token id (as a string) to a bias in [-100, 100]. */
    private static Map<Integer, Float> logitBias(JsonNode v, int nVocab) {
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw ApiException.invalid("logit_bias", "'logit_bias' must be an object of token ids to biases, was "
                    + JsonFields.kind(v));
        }
        Map<Integer, Float> bias = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException x) {
                throw ApiException.invalid("logit_bias", "'logit_bias' keys must be token ids, has \"" + e.getKey() + "\"");
            }
            if (id < 0 || id >= nVocab) {
                throw ApiException.invalid("logit_bias", "'logit_bias' has the token id " + id
                        + ", outside the vocabulary 0.." + (nVocab - 1));
            }
            JsonNode b = e.getValue();
            if (!b.isNumber() || !(b.doubleValue() >= -100 && b.doubleValue() <= 100)) {
                throw ApiException.invalid("logit_bias", "'logit_bias' values must be numbers in [-100, 100], token "
                        + id + " has " + JsonFields.kind(b));
            }
            bias.put(id, b.floatValue());
        }
        return bias;
    }

    private static EarlyStopping earlyStopping(JsonNode v) {
        if (v == null) {
            return EarlyStopping.FALSE;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
        }
        if (v.isTextual() && v.textValue().equals("never")) {
            return EarlyStopping.NEVER;
        }
        throw ApiException.invalid("early_stopping", "'early_stopping' must be true, false or \"never\", was "
                + JsonFields.kind(v));
    }
}
