package dev.gpt2java.cli;

import dev.gpt2java.Backend;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every command that loads a model: {@code -m}, {@code --engine}, {@code --backend},
 * {@code --no-repack}, {@code --lora}, {@code --lora-scaled}, {@code -t} ({@code --verbose} is every command's, from {@link Gpt2Cli}).
 */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The system property bin/gpt2 sets to the project's own model, models/gpt2-kjv.gguf. */
    static final String DEFAULT_MODEL_PROPERTY = "gpt2.default.model";

    @Option(names = {"-m", "--model"}, paramLabel = "PATH",
            description = "GPT-2 model file (GGUF). Default: the project's own model trained on the King James "
                    + "Bible (models/gpt2-kjv.gguf, see models/gpt2-kjv.md).")
    Path model;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "native",
            description = "Which engine computes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: libgpt2 on "
                    + "ggml; java: the pure-Java engine on the Vector API, CPU only).")
    Engine engine;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "auto",
            description = "Where to compute: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a GPU if the "
                    + "build and the machine have one, else the CPU).")
    Backend backend;

    @Option(names = "--no-repack",
            description = "Keep every weight in ggml's plain layout: no matrix in ggml's extra CPU buffer types "
                    + "(repacked layouts such as Q4_0 8x8 on AVX2, AMX tiles), as llama.cpp's --no-repack. Native "
                    + "engine, CPU.")
    boolean noRepack;

    @Option(names = "--lora", paramLabel = "FILE",
            description = "Apply this LoRA adapter (a GGUF in llama.cpp's layout, as gpt2 finetune --lora-rank writes) "
                    + "at scale 1 in every eval, the model's weights untouched; repeat for several.")
    List<Path> lora = new ArrayList<>();

    @Option(names = "--lora-scaled", arity = "2", paramLabel = "FILE SCALE", hideParamSyntax = true,
            description = "Apply a LoRA adapter at SCALE (0: the base model; 1: as merged); repeatable, as llama.cpp's "
                    + "--lora-scaled FILE SCALE.")
    List<String> loraScaled = new ArrayList<>();

    @Mixin
    ThreadsOption threads;

    /** The thread count asked for (0: one per physical core). */
    int threads() {
        return threads.threads;
    }

    /** The model named with -m, else the default model; a usage error when there is neither. */
    Path path() {
        if (model != null) {
            return model;
        }
        Path p = defaultModel(mixee.commandLine());
        if (!Files.isRegularFile(p)) {
            throw new ParameterException(mixee.commandLine(), "no model given and the default model " + p
                    + " is missing: give -m/--model PATH");
        }
        return p;
    }

    /**
     * The default model, the path in {@value #DEFAULT_MODEL_PROPERTY} (the file may be missing); a usage error of
     * {@code command} when the property is not set.
     */
    static Path defaultModel(CommandLine command) {
        String fallback = System.getProperty(DEFAULT_MODEL_PROPERTY);
        if (fallback == null || fallback.isBlank()) {
            throw new ParameterException(command, "no model: give -m/--model PATH (a GGUF file)");
        }
        return Path.of(fallback);
    }

    /** Loads the model; a missing or bad file is a Gpt2Exception naming it (exit code 1). */
    Gpt2Model load() {
        ModelParams params = Gpt2Cli.checked(mixee, () -> {
            ModelParams p = ModelParams.defaults().withEngine(engine).withBackend(backend).withThreads(threads.threads)
                    .withExtraBufferTypes(!noRepack);
            for (Path f : lora) {
                p = p.withAdapter(f, 1f);
            }
            for (int i = 0; i + 1 < loraScaled.size(); i += 2) {
                p = p.withAdapter(Path.of(loraScaled.get(i)), scale(loraScaled.get(i + 1)));
            }
            return p;
        });
        return Gpt2Model.load(path(), params);
    }

    /** A --lora-scaled SCALE: a finite number, else a usage error naming it. */
    private float scale(String text) {
        try {
            float v = Float.parseFloat(text);
            if (Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new ParameterException(mixee.commandLine(), "--lora-scaled: SCALE must be a finite number, was '" + text + "'");
    }
}
