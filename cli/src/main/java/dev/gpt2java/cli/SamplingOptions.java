package dev.gpt2java.cli;

import dev.gpt2java.sampling.SamplingParams;

import picocli.CommandLine.Option;

import static java.util.Objects.requireNonNullElse;

/**
 * The sampling options of {@code gpt2 generate} (an argument group), named as SamplingParams' parameters
 * (which judge them); null: not given, the default of SamplingParams.
 */
final class SamplingOptions {

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
    Double repetitionPenalty;

    @Option(names = "--presence-penalty", paramLabel = "X", order = 16,
            description = "Subtract X from the logits of tokens seen.")
    Double presencePenalty;

    @Option(names = "--frequency-penalty", paramLabel = "X", order = 17,
            description = "Subtract X times its count from the logit of each token seen.")
    Double frequencyPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", order = 18,
            description = "The penalties look at the last N tokens; -1: all, 0: none.")
    Integer lastN;

    SamplingParams params(long seed) {
        SamplingParams d = SamplingParams.defaults();
        return new SamplingParams(requireNonNullElse(temperature, d.temperature()), requireNonNullElse(topK, d.topK()),
                requireNonNullElse(topP, d.topP()), requireNonNullElse(minP, d.minP()),
                requireNonNullElse(typicalP, d.typicalP()), d.minKeep(),
                requireNonNullElse(repetitionPenalty, d.repetitionPenalty()),
                requireNonNullElse(presencePenalty, d.presencePenalty()),
                requireNonNullElse(frequencyPenalty, d.frequencyPenalty()), requireNonNullElse(lastN, d.lastN()),
                d.logitBias(), seed, d.order());
    }
}
