package dev.gpt2java.cli;

import dev.gpt2java.ModelParams;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code -t/--threads} of the commands that compute on the CPU with libgpt2 ({@code train} has its own). */
final class ThreadsOption {

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: ${DEFAULT-VALUE}, one per physical core).")
    int threads;

    /** The count, in the range ModelParams takes (else a usage error of the command of {@code spec}). */
    int checked(CommandSpec spec) {
        return Gpt2Cli.checked(spec, () -> ModelParams.defaults().withThreads(threads)).threads();
    }
}
