package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.GeneratedToken;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.search.TokenStream;
import dev.gpt2java.tokenizer.Gpt2Tokenizer;
import dev.gpt2java.tokenizer.StreamingDecoder;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt2 generate}: text after a prompt, streamed as it is made. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continues the prompt and streams the new text to stdout as tokens come (the prompt is not "
                + "repeated). Greedy by default: the most likely token each step; sampling (seeded) or beam search with the options below (beam search prints its result at the end). Stops after --max-new-tokens, at "
                + "the EOS token (<|endoftext|>, not printed), or when the model's context is full.",
                "An empty prompt starts from the BOS token (unconditional generation)."})
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    Gpt2Cli parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(arity = "0..1", paramLabel = "PROMPT",
            description = "The prompt; absent or '-': stdin (UTF-8, one trailing line break dropped).")
    String prompt;

    @Option(names = "--flash-attn", description = "Fused attention in libgpt2 on the CPU (ggml_flash_attn_ext): "
            + "the same text, faster, and beams skip each other's cached tokens (the Java engine computes as "
            + "without it).")
    boolean flashAttn;

    @Option(names = {"-n", "--max-new-tokens"}, paramLabel = "N", defaultValue = "50",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--min-new-tokens", paramLabel = "N", defaultValue = "0",
            description = "EOS is not allowed before this many new tokens (default: ${DEFAULT-VALUE}).")
    int minNewTokens;

    @Option(names = "--no-repeat-ngram-size", paramLabel = "N", defaultValue = "0",
            description = "No n-gram of this size occurs twice (prompt included); 0: off (default).")
    int noRepeatNgramSize;

    @Option(names = "--ignore-eos", description = "Go on past the EOS token (it is printed as <|endoftext|>).")
    boolean ignoreEos;

    @Option(names = "--special", description = "Take <|endoftext|> in the prompt as the special token.")
    boolean special;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the random draws of sampling (default: a random one). Greedy and beam search ignore it.")
    Long seed;

    @ArgGroup(exclusive = false, heading = "%nSampling (instead of greedy):%n", order = 1)
    SamplingOptions sampling = new SamplingOptions();

    @ArgGroup(exclusive = false, heading = "%nBeam search (instead of greedy):%n", order = 2)
    BeamOptions beams = new BeamOptions();

    /** Sampling options; null: not given. */
    static final class SamplingOptions {
        @Option(names = "--temperature", paramLabel = "T", order = 10,
                description = "Divide the logits by T before drawing, T >= 0; 0: greedy.")
        Double temperature;

        @Option(names = "--top-k", paramLabel = "K", order = 11,
                description = "Draw among the K most likely tokens only; 0: all.")
        Integer topK;

        @Option(names = "--top-p", paramLabel = "P", order = 12,
                description = "Nucleus: the fewest most likely tokens whose probability reaches P, 0 < P <= 1.")
        Double topP;

        @Option(names = "--min-p", paramLabel = "P", order = 13,
                description = "Drop tokens less likely than P times the most likely one, 0 <= P <= 1.")
        Double minP;

        @Option(names = "--typical-p", paramLabel = "P", order = 14,
                description = "Locally typical sampling mass, 0 < P <= 1.")
        Double typicalP;

        @Option(names = "--repeat-penalty", paramLabel = "R", order = 15,
                description = "Divide positive (multiply negative) logits of tokens seen by R > 0; 1: off.")
        Double repeatPenalty;

        @Option(names = "--presence-penalty", paramLabel = "X", order = 16,
                description = "Subtract X from the logits of tokens seen.")
        Double presencePenalty;

        @Option(names = "--frequency-penalty", paramLabel = "X", order = 17,
                description = "Subtract X times its count from the logit of each token seen.")
        Double frequencyPenalty;

        @Option(names = "--repeat-last-n", paramLabel = "N", order = 18,
                description = "The penalties look at the last N tokens; -1: all, 0: none.")
        Integer repeatLastN;

        boolean anyGiven() {
            return temperature != null || topK != null || topP != null || minP != null || typicalP != null
                    || repeatPenalty != null || presencePenalty != null || frequencyPenalty != null || repeatLastN != null;
        }

        /** Only --temperature 0 (greedy), or nothing. */
        boolean greedy() {
            return !anyGiven() || temperature != null && temperature == 0 && topK == null && topP == null && minP == null
                    && typicalP == null && repeatPenalty == null && presencePenalty == null && frequencyPenalty == null
                    && repeatLastN == null;
        }
    }

    /** Beam-search options; null: not given. */
    static final class BeamOptions {
        @Option(names = "--num-beams", paramLabel = "B", order = 20,
                description = "Beam search with B beams, B >= 1; 1: greedy.")
        Integer numBeams;

        @Option(names = "--length-penalty", paramLabel = "X", order = 21,
                description = "Beam scores are log-probability / length^X (default 1).")
        Double lengthPenalty;

        @Option(names = "--early-stopping", paramLabel = "MODE", order = 22, converter = EarlyStoppingConverter.class,
                description = "Hugging Face's early_stopping: true (stop as soon as B beams are finished), false "
                        + "(the default: stop when no running beam can beat the finished ones, judged at its "
                        + "current length) or never (judged at the longest length it could reach).")
        EarlyStopping earlyStopping;

        @Option(names = "--num-return-sequences", paramLabel = "N", order = 23,
                description = "Print the N best beams, 1 <= N <= B.")
        Integer numReturnSequences;

        boolean anyGiven() {
            return numBeams != null || lengthPenalty != null || earlyStopping != null || numReturnSequences != null;
        }

        /** Nothing given, or one beam and nothing else that needs beams. */
        boolean greedy() {
            return (numBeams == null || numBeams == 1) && lengthPenalty == null && earlyStopping == null
                    && (numReturnSequences == null || numReturnSequences == 1);
        }

        EarlyStopping earlyStoppingValue() {
            return earlyStopping != null ? earlyStopping : EarlyStopping.FALSE;
        }
    }

    /** true, false or never, in any case. */
    static final class EarlyStoppingConverter implements ITypeConverter<EarlyStopping> {
        @Override
        public EarlyStopping convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> EarlyStopping.TRUE;
                case "false" -> EarlyStopping.FALSE;
                case "never" -> EarlyStopping.NEVER;
                default -> throw new TypeConversionException("expected true, false or never, was '" + value + "'");
            };
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static boolean finite(Double d) {
        return d == null || Double.isFinite(d);
    }

    /** Range checks of every option; usage errors (exit code 2). */
    void validate() {
        if (maxNewTokens < 1) {
            throw bad("--max-new-tokens must be >= 1, was " + maxNewTokens);
        }
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw bad("--min-new-tokens must be in 0..--max-new-tokens (" + maxNewTokens + "), was " + minNewTokens);
        }
        if (noRepeatNgramSize < 0) {
            throw bad("--no-repeat-ngram-size must be >= 0, was " + noRepeatNgramSize);
        }
        SamplingOptions s = sampling;
        if (s.temperature != null && !(s.temperature >= 0 && Double.isFinite(s.temperature))) {
            throw bad("--temperature must be a finite number >= 0, was " + s.temperature);
        }
        if (s.topK != null && s.topK < 0) {
            throw bad("--top-k must be >= 0 (0: off), was " + s.topK);
        }
        if (s.topP != null && !(s.topP > 0 && s.topP <= 1)) {
            throw bad("--top-p must be in (0, 1], was " + s.topP);
        }
        if (s.minP != null && !(s.minP >= 0 && s.minP <= 1)) {
            throw bad("--min-p must be in [0, 1], was " + s.minP);
        }
        if (s.typicalP != null && !(s.typicalP > 0 && s.typicalP <= 1)) {
            throw bad("--typical-p must be in (0, 1], was " + s.typicalP);
        }
        if (s.repeatPenalty != null && !(s.repeatPenalty > 0 && Double.isFinite(s.repeatPenalty))) {
            throw bad("--repeat-penalty must be a finite number > 0, was " + s.repeatPenalty);
        }
        if (!finite(s.presencePenalty)) {
            throw bad("--presence-penalty must be finite, was " + s.presencePenalty);
        }
        if (!finite(s.frequencyPenalty)) {
            throw bad("--frequency-penalty must be finite, was " + s.frequencyPenalty);
        }
        if (s.repeatLastN != null && s.repeatLastN < -1) {
            throw bad("--repeat-last-n must be >= -1 (-1: all, 0: none), was " + s.repeatLastN);
        }
        BeamOptions b = beams;
        int nBeams = b.numBeams == null ? 1 : b.numBeams;
        if (nBeams < 1) {
            throw bad("--num-beams must be >= 1, was " + nBeams);
        }
        if (nBeams > BeamSearchParams.MAX_BEAMS) {
            throw bad("--num-beams must be <= " + BeamSearchParams.MAX_BEAMS + ", was " + nBeams);
        }
        if (!finite(b.lengthPenalty)) {
            throw bad("--length-penalty must be finite, was " + b.lengthPenalty);
        }
        if (b.numReturnSequences != null && (b.numReturnSequences < 1 || b.numReturnSequences > nBeams)) {
            throw bad("--num-return-sequences must be in 1..--num-beams (" + nBeams + "), was " + b.numReturnSequences);
        }
        if (!b.greedy() && !s.greedy()) {
            throw bad("beam search (--num-beams ...) and sampling (--temperature, --top-k ...) cannot be combined");
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String text = TextInput.read(prompt, parent.stdin());
        PrintWriter out = spec.commandLine().getOut();
        try (Gpt2Model m = model.load()) {
            Gpt2Tokenizer tokenizer = m.tokenizer();
            int[] ids = Prompts.tokens(m, tokenizer, text, special);
            if (!beams.greedy()) {
                beamSearch(m, tokenizer, ids, out);
                return 0;
            }
            if (!sampling.greedy()) {
                sample(m, ids, out);
            } else {
                int cells = Math.min(m.nCtxTrain(), ids.length + maxNewTokens);
                try (Session session = m.newSession(SessionParams.defaults().withNCells(cells).withFlashAttn(flashAttn))) {
                    greedy(m, session, tokenizer, ids, out);
                }
            }
        }
        out.println();
        out.flush();
        return 0;
    }

    private int[] eosIds(Gpt2Model m) {
        return ignoreEos || m.eosToken() < 0 ? new int[0] : new int[] {m.eosToken()};
    }

    /** The sampler chain of dev.gpt2java.sampling (temperature 0 with penalties: greedy after them). */
    private void sample(Gpt2Model m, int[] ids, PrintWriter out) {
        SamplingOptions o = sampling;
        SamplingParams p = SamplingParams.defaults();
        if (o.temperature != null) {
            p = p.withTemperature(o.temperature);
        }
        if (o.topK != null) {
            p = p.withTopK(o.topK);
        }
        if (o.topP != null) {
            p = p.withTopP(o.topP);
        }
        if (o.minP != null) {
            p = p.withMinP(o.minP);
        }
        if (o.typicalP != null) {
            p = p.withTypicalP(o.typicalP);
        }
        if (o.repeatPenalty != null) {
            p = p.withRepetitionPenalty(o.repeatPenalty);
        }
        if (o.presencePenalty != null) {
            p = p.withPresencePenalty(o.presencePenalty);
        }
        if (o.frequencyPenalty != null) {
            p = p.withFrequencyPenalty(o.frequencyPenalty);
        }
        if (o.repeatLastN != null) {
            p = p.withLastN(o.repeatLastN);
        }
        p = p.withSeed(seed != null ? seed : new SecureRandom().nextLong());
        int maxNew = Math.min(maxNewTokens, m.nCtxTrain() - ids.length);
        if (maxNew < 1) {
            throw new IllegalArgumentException("the prompt fills the model's context (" + m.nCtxTrain() + " tokens)");
        }
        GenerationParams g = new GenerationParams(maxNew, Math.min(minNewTokens, maxNew), eosIds(m), noRepeatNgramSize,
                List.of(), 0);
        int cells = Math.min(m.nCtxTrain(), ids.length + maxNew);
        try (Session session = m.newSession(SessionParams.defaults().withNCells(cells)
                .withNBatch(Math.min(cells, 512)).withFlashAttn(flashAttn));
                TokenStream ts = Generator.stream(session, 0, ids, p.newSampler(), g)) {
            while (ts.hasNext()) {
                GeneratedToken t = ts.next();
                out.print(t.text());
                out.flush();
            }
        }
    }

    /** Beam search of dev.gpt2java.search; with several sequences, each follows a "[i] score S" line. */
    private void beamSearch(Gpt2Model m, Gpt2Tokenizer tokenizer, int[] ids, PrintWriter out) {
        BeamOptions b = beams;
        int maxNew = Math.min(maxNewTokens, m.nCtxTrain() - ids.length);
        if (maxNew < 1) {
            throw new IllegalArgumentException("the prompt fills the model's context (" + m.nCtxTrain() + " tokens)");
        }
        int n = b.numReturnSequences == null ? 1 : b.numReturnSequences;
        BeamSearchParams p = new BeamSearchParams(b.numBeams == null ? 1 : b.numBeams,
                b.lengthPenalty == null ? 1.0 : b.lengthPenalty, b.earlyStoppingValue(), n, noRepeatNgramSize, maxNew,
                Math.min(minNewTokens, maxNew), eosIds(m));
        List<Hypothesis> found;
        try (Session session = m.newSession(BeamSearch.sessionParams(ids.length, p).withFlashAttn(flashAttn))) {
            found = BeamSearch.search(session, ids, p);
        }
        for (int i = 0; i < found.size(); i++) {
            int[] toks = found.get(i).tokens();
            if (toks.length > 0 && !ignoreEos && toks[toks.length - 1] == m.eosToken()) {
                toks = Arrays.copyOf(toks, toks.length - 1);
            }
            if (found.size() > 1) {
                out.printf(Locale.ROOT, "[%d] score %.4f%n", i + 1, found.get(i).score());
            }
            out.println(tokenizer.decode(toks));
        }
        out.flush();
    }

    /** The greedy loop: argmax each step (after the EOS and n-gram bans), each token's text printed at once. */
    private void greedy(Gpt2Model m, Session session, Gpt2Tokenizer tokenizer, int[] promptIds, PrintWriter out) {
        int eos = m.eosToken();
        List<Integer> history = new ArrayList<>(promptIds.length + maxNewTokens);
        for (int id : promptIds) {
            history.add(id);
        }
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        float[] logits = Prompts.evalPrompt(session, 0, promptIds);
        for (int step = 0; step < maxNewTokens; step++) {
            if (eos >= 0 && step < minNewTokens) {
                logits[eos] = Float.NEGATIVE_INFINITY;
            }
            if (noRepeatNgramSize > 0) {
                banRepeatedNgrams(history, noRepeatNgramSize, logits);
            }
            int next = dev.gpt2java.Gpt2.argmax(logits);
            if (next == eos && !ignoreEos) {
                break;
            }
            out.print(decoder.accept(next));
            out.flush();
            history.add(next);
            if (step + 1 == maxNewTokens) {
                break;
            }
            if (history.size() >= m.nCtxTrain()) {
                out.print(decoder.flush());
                out.flush();
                spec.commandLine().getErr().println("gpt2 generate: stopped: the model's context ("
                        + m.nCtxTrain() + " tokens) is full");
                return;
            }
            logits = session.eval(0, next);
        }
        out.print(decoder.flush());
        out.flush();
    }

    /**
     * Hugging Face's NoRepeatNGramLogitsProcessor: a token that would complete an n-gram already in
     * {@code history} gets -inf.
     */
    static void banRepeatedNgrams(List<Integer> history, int n, float[] logits) {
        int len = history.size();
        if (len + 1 < n) {
            return;
        }
        // the n-1 last tokens: the prefix the next token would complete
        int prefixStart = len - (n - 1);
        for (int start = 0; start + n <= len; start++) {
            boolean same = true;
            for (int j = 0; j < n - 1 && same; j++) {
                same = history.get(start + j).equals(history.get(prefixStart + j));
            }
            if (same) {
                logits[history.get(start + n - 1)] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
