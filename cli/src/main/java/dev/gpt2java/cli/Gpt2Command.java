package dev.gpt2java.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code gpt2} command has: its picocli spec, its output, its usage errors (exit code 2,
 * see {@link Gpt2Cli}). The options commands share are mixins ({@link ModelOptions}, {@link TextInput},
 * {@link ThreadsOption}).
 */
abstract class Gpt2Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The command's stdout. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command's stderr. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error of this command, to throw: one line, exit code 2. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A parameter record of the library made by {@code make}; its refusal a usage error ({@link Gpt2Cli#checked}). */
    <T> T checked(Supplier<T> make) {
        return Gpt2Cli.checked(spec, make);
    }
}
