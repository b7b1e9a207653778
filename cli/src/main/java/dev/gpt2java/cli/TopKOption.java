package dev.gpt2java.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code -k/--top-k} of the commands that list the k best tokens ({@code next}, {@code neighbours}). */
final class TopKOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "10",
            description = "How many tokens to show (default: ${DEFAULT-VALUE}).")
    int k;

    /** K, at least 1; else a usage error of the command. */
    int checked() {
        if (k < 1) {
            throw new ParameterException(mixee.commandLine(), "-k must be >= 1, was " + k);
        }
        return k;
    }

    /** K, in 1..nVocab (the model's tokens); else a usage error of the command. */
    int checked(int nVocab) {
        if (checked() > nVocab) {
            throw new ParameterException(mixee.commandLine(), "-k must be in 1.." + nVocab + ", was " + k);
        }
        return k;
    }
}
