package dev.gpt2java.cli;

import dev.gpt2java.Backend;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that loads a model shares: {@code -m}, {@code --engine}, {@code --backend},
 * {@code -t}, {@code --verbose}.
 */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "PATH",
            description = "GPT-2 model file (GGUF).")
    Path model;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "native",
            description = "Which engine computes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: libgpt2 on "
                    + "ggml; java: the pure-Java engine on the Vector API, CPU only).")
    Engine engine;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "auto",
            description = "Where to compute: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a GPU if the "
                    + "build and the machine have one, else the CPU).")
    Backend backend;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: 0, one per physical core).")
    int threads;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    /** Loads the model; a missing or bad file is a Gpt2Exception naming it (exit code 1). */
    Gpt2Model load() {
        if (threads < 0 || threads > ModelParams.MAX_THREADS) {
            throw new ParameterException(mixee.commandLine(),
                    "--threads must be in 0.." + ModelParams.MAX_THREADS + ", was " + threads);
        }
        return Gpt2Model.load(model, ModelParams.defaults().withEngine(engine).withBackend(backend).withThreads(threads));
    }
}
