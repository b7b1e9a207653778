package dev.gpt2java.cli;

import dev.gpt2java.search.BeamSearchParams;
import dev.gpt2java.search.EarlyStopping;
import dev.gpt2java.search.GenerationParams;

import picocli.CommandLine.Option;

import static java.util.Objects.requireNonNullElse;

/**
 * The beam-search options of {@code gpt2 generate} (an argument group; {@code gpt2 beam} has its own, with
 * defaults), named as BeamSearchParams' parameters (which judge them); null: not given.
 */
final class BeamOptions {

    @Option(names = "--num-beams", paramLabel = "B", order = 20,
            description = "Beam search with B beams, 1 <= B <= " + BeamSearchParams.MAX_BEAMS + "; 1: greedy.")
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

    /** The search within {@code limits} (EOS ids come later, from the model). */
    BeamSearchParams params(GenerationParams limits) {
        return new BeamSearchParams(requireNonNullElse(numBeams, 1), requireNonNullElse(lengthPenalty, 1.0),
                requireNonNullElse(earlyStopping, EarlyStopping.FALSE), requireNonNullElse(numReturnSequences, 1),
                limits.noRepeatNgramSize(), limits.maxNewTokens(), limits.minNewTokens(), new int[0]);
    }
}
