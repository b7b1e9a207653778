package dev.gpt2java.cli;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.MatMul;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.BeamSearch;
import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.FinishReason;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.Generator;
import dev.gpt2java.search.Hypothesis;
import dev.gpt2java.search.TokenStream;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpt2 generate}: text after a prompt, streamed as it is made. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continues the prompt and streams the new text to stdout as tokens come (the prompt is not "
                + "repeated). Greedy by default: the most likely token each step; sampling (seeded) or beam search with the options below (beam search prints its result at the end). Stops after --max-new-tokens, at "
                + "the EOS token (<|endoftext|>, not printed), or when the model's context is full.",
                "An empty prompt starts from the BOS token (unconditional generation)."})
final class GenerateCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Mixin
    TextInput input;

    @Option(names = "--flash-attn", description = "Fused attention in libgpt2 on the CPU (ggml_flash_attn_ext): "
            + "the same text, faster, and beams skip each other's cached tokens (the Java engine computes as "
            + "without it).")
    boolean flashAttn;

    @Option(names = "--matmul", paramLabel = "KERNELS", defaultValue = "auto",
            description = "Whose kernels multiply the matrices of a decode step (1 to 64 tokens): auto (the default: "
                    + "libgpt2's on the CPU, ggml's elsewhere), ggml (llama.cpp's) or libgpt2 (its own, for F16, Q8_0 "
                    + "and Q4_0 weights, on the CPU). The Java engine computes with its own either way.")
    MatMul matmul;

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

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the random draws of sampling (default: a random one). Greedy and beam search ignore it.")
    Long seed;

    // null: none of the group's options given
    @ArgGroup(exclusive = false, heading = "%nSampling (instead of greedy):%n", order = 1)
    SamplingOptions sampling;

    @ArgGroup(exclusive = false, heading = "%nBeam search (instead of greedy):%n", order = 2)
    BeamOptions beams;

    @Override
    public Integer call() throws Exception {
        // the records judge the values (usage errors) before the model loads
        GenerationParams limits = checked(
                () -> new GenerationParams(maxNewTokens, minNewTokens, new int[0], noRepeatNgramSize, List.of(), 0));
        BeamSearchParams beam = beams == null ? null : checked(() -> beams.params(limits));
        Sampler sampler = sampler();
        boolean beamSearch = beam != null && beam.numBeams() > 1;
        if (beamSearch && sampler != Sampler.GREEDY) {
            throw usage("beam search (--num-beams ...) and sampling (--temperature, --top-k ...) cannot be combined");
        }
        String text = input.read();
        PrintWriter out = out();
        try (Gpt2Model m = model.load()) {
            int[] ids = input.tokens(m, text);
            int maxNew = Prompts.newTokens(m, ids, maxNewTokens);
            int[] eos = Prompts.eosIds(m, ignoreEos);
            if (beamSearch) {
                beamSearch(m, ids, beam.withMaxNewTokens(maxNew).withEosTokenIds(eos), out);
                return 0;
            }
            stream(m, ids, sampler, limits.withMaxNewTokens(maxNew).withEosTokenIds(eos), out);
        }
        out.println();
        out.flush();
        return 0;
    }

    /**
     * Sampler.GREEDY, unless sampling options change the pick: then the chain of SamplingParams
     * (temperature 0 with penalties: greedy after them).
     */
    private Sampler sampler() {
        if (sampling == null) {
            return Sampler.GREEDY;
        }
        if (sampling.topP != null && sampling.topP == 0) {
            // SamplingParams takes Hugging Face's top_p = 0 (keep minKeep tokens); this option promises 0 < P
            throw usage("--top-p must be in (0, 1], was " + sampling.topP);
        }
        long s = seed != null ? seed : new SecureRandom().nextLong();
        SamplingParams p = checked(() -> sampling.params(s));
        return p.withSeed(0).equals(SamplingParams.greedy()) ? Sampler.GREEDY : p.newSampler();
    }

    /**
     * Generator's stream on a session of this command's making (--flash-attn, --matmul), each token's text
     * printed as it comes.
     */
    private void stream(Gpt2Model m, int[] ids, Sampler sampler, GenerationParams g, PrintWriter out) {
        int cells = ids.length + g.maxNewTokens();
        SessionParams sp = SessionParams.defaults().withNCells(cells).withNBatch(Math.min(cells, 512))
                .withFlashAttn(flashAttn).withMatMul(matmul);
        try (Session session = m.newSession(sp); TokenStream ts = Generator.stream(session, 0, ids, sampler, g)) {
            while (ts.hasNext()) {
                out.print(ts.next().text());
                out.flush();
            }
            if (ts.finishReason() == FinishReason.LENGTH && g.maxNewTokens() < maxNewTokens) {
                err().println(spec.qualifiedName() + ": stopped: the model's context ("
                        + m.nCtxTrain() + " tokens) is full");
            }
        }
    }

    /** BeamSearch on a session of this command's making (--flash-attn, --matmul); several sequences each after "[i] score S". */
    private void beamSearch(Gpt2Model m, int[] ids, BeamSearchParams p, PrintWriter out) {
        List<Hypothesis> found;
        try (Session session = m.newSession(BeamSearch.sessionParams(ids.length, p).withFlashAttn(flashAttn)
                .withMatMul(matmul))) {
            found = BeamSearch.search(session, ids, p);
        }
        BeamCommand.print(out, m.tokenizer(), found, p.eosTokenIds(), found.size() > 1);
    }
}
