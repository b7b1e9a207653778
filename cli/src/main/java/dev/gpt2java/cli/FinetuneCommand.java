package dev.gpt2java.cli;

import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.Gpt2Gguf;
import dev.gpt2java.train.FineTuneParams;
import dev.gpt2java.train.FineTuner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpt2 finetune}: fine-tunes a GPT-2 GGUF on instructions (SFT) or preferences (DPO), a thin client of {@link FineTuner}. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tunes a GPT-2 GGUF (F32 or F16, tied output: what gpt2 train and gpt2 convert write) on "
                + "JSON Lines, with the trainer's AdamW, schedule, clipping, checkpoints and progress, on the "
                + "pure-Java engine. Same parameters, same files: the same model, bit for bit, on any thread count.",
                "--method sft: {\"prompt\": ..., \"response\": ...} a line; the loss is the mean cross-entropy of "
                        + "the response tokens and a closing <|endoftext|>, the prompt's tokens masked.",
                "--method dpo: {\"prompt\": ..., \"chosen\": ..., \"rejected\": ...} a line; Direct Preference "
                        + "Optimization against the frozen starting model, strength --beta.",
                "Prompt and response are tokenized apart and joined as prompt ++ response ++ <|endoftext|>: put "
                        + "the separator you will prompt with (e.g. \"\\nA:\") at the end of the prompt."})
final class FinetuneCommand extends Gpt2Command {

    @Parameters(index = "0", paramLabel = "DATA", description = "Training examples, JSON Lines.")
    Path data;

    @Option(names = {"-m", "--model"}, paramLabel = "PATH",
            description = "The model to start from (GGUF). Default: the project's own model (models/gpt2-kjv.gguf).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The model to write (GGUF).")
    Path output;

    @Option(names = "--method", defaultValue = "sft", paramLabel = "METHOD",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FineTuneParams.Method method;

    @Option(names = "--val", paramLabel = "FILE", description = "Held-out examples in DATA's format: a validation "
            + "loss at the start, every --eval-every steps and at the end.")
    Path val;

    @Option(names = "--beta", defaultValue = "0.1", description = "DPO's beta (default: ${DEFAULT-VALUE}).")
    float beta;

    @Option(names = "--lora-rank", paramLabel = "R", description = "Train low-rank adapters of rank R on every block's "
            + "attn_qkv, attn_output, ffn_up and ffn_down (W + alpha/R · B A), the rest of the model frozen; "
            + "default: train every parameter.")
    Integer loraRank;

    @Option(names = "--lora-alpha", paramLabel = "ALPHA", description = "LoRA's alpha (default: 2 × rank).")
    Float loraAlpha;

    @Option(names = "--merge", description = "With --lora-rank: write the model with the adapters merged into "
            + "its matrices, a GPT-2 GGUF any engine loads (default: the adapters alone, a LoRA GGUF in "
            + "llama.cpp's layout, which every command applies with --lora FILE).")
    boolean merge;

    @Option(names = "--type", paramLabel = "TYPE", description = "f32 or f16 (default: the starting model's; 1-D "
            + "tensors stay F32).")
    String type;

    @Option(names = "--name", defaultValue = "gpt2-java-finetuned", paramLabel = "NAME",
            description = "general.name of the model (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--batch", defaultValue = "8",
            description = "Examples (SFT) or pairs (DPO) per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--min-lr", description = "Final learning rate (default: lr / 10).")
    Float minLr;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--beta2", defaultValue = "0.999", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
    float beta2;

    @Option(names = "--seed", defaultValue = "1234", description = "The order of the examples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dry-run", description = "Read and check the model and the data, print what a run would "
            + "train on; train nothing.")
    boolean dryRun;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws IOException {
        Path base = model != null ? model : ModelOptions.defaultModel(spec.commandLine());
        for (Path f : val == null ? new Path[] {base, data} : new Path[] {base, data, val}) {
            if (!Files.isRegularFile(f)) {
                throw usage("no such file: " + f);
            }
        }
        String outType = type != null ? type : baseType(base);
        if (loraRank == null && (loraAlpha != null || merge)) {
            throw usage("--lora-alpha and --merge go with --lora-rank");
        }
        FineTuneParams.Adapters adapters = loraRank == null ? null : checked(() -> new FineTuneParams.Adapters(loraRank,
                loraAlpha == null ? 2f * loraRank : loraAlpha, merge));
        FineTuneParams p = checked(() -> new FineTuneParams(base, data, val, output, outType, name, method, beta, batch,
                steps, lr, minLr == null ? lr / 10 : minLr, run.warmup(steps),
                weightDecay, run.beta1, beta2, 1e-8f, run.clip, run.evalEvery(steps),
                run.checkpoint, run.checkpointEvery(steps), seed,
                run.threads(), adapters));
        FineTuner.Plan plan;
        try {
            plan = FineTuner.plan(p);       // the model and every line of the data, checked before any work
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = out();
        String what = method == FineTuneParams.Method.SFT ? "examples" : "preference pairs";
        if (dryRun) {
            out.printf(Locale.ROOT, "%s: %,d %s (%,d held out), sequences padded to %d tokens, %,d scored tokens "
                    + "(responses and their closing <|endoftext|>)%n", data, plan.examples(), what, plan.valExamples(),
                    plan.seqLen(), plan.scoredTokens());
            out.printf(Locale.ROOT, "data sha256 %s%n", plan.dataSha256());
            return 0;
        }
        FineTuner.Result r = run.run(err(), steps, (resume, reporter) -> FineTuner.finetune(p, resume, reporter));
        out.printf(Locale.ROOT, "wrote %s%s%n", output, adapters == null ? "" : adapters.merge()
                ? String.format(Locale.ROOT, " (LoRA rank %d, alpha %s, merged)", adapters.rank(), adapters.alpha())
                : String.format(Locale.ROOT, " (LoRA adapters, rank %d, alpha %s; apply with -m %s --lora %s)",
                        adapters.rank(), adapters.alpha(), p.base(), output));
        out.printf(Locale.ROOT, "%,d %s (%,d held out), sequences padded to %d tokens; data sha256 %s%n",
                r.examples(), what, r.valExamples(), r.seqLen(), r.dataSha256());
        out.printf(Locale.ROOT, "%d steps in %.1f s; train loss %.4f (mean of the last 5%% of steps)%s%n", r.steps(),
                r.elapsedSeconds(), r.trainLoss(), Float.isNaN(r.valLoss()) ? "" : String.format(Locale.ROOT,
                        ", validation loss %.4f (%.4f at the start)", r.valLoss(), r.startValLoss()));
        return 0;
    }

    /** f32 for an F32 model, else f16. */
    private static String baseType(Path base) {
        try (GgufFile g = GgufFile.open(base)) {
            return Gpt2Gguf.of(g).weightType() == GgmlType.F32 ? "f32" : "f16";
        }
    }
}
