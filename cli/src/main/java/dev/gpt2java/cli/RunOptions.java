package dev.gpt2java.cli;

import dev.gpt2java.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import picocli.CommandLine.Option;

/**
 * The options a training run and a fine-tuning run share, with the same defaults: warm-up, AdamW's β1,
 * clipping, the validation and checkpoint cadence, resuming, threads and the TSV log; and how both runs
 * report their steps ({@link #run}). The options whose defaults differ (learning rates, weight decay, β2)
 * stay with each command.
 */
final class RunOptions {

    /** A run of the trainer: from {@code resume} (null: from the start), each step told to {@code reporter}. */
    interface Run<R> {
        R run(Path resume, Consumer<Trainer.Progress> reporter) throws IOException;
    }

    @Option(names = "--warmup", description = "Warm-up steps (default: steps/10, at most 100).")
    Integer warmup;

    @Option(names = "--beta1", defaultValue = "0.9", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
    float beta1;

    @Option(names = "--clip", defaultValue = "1.0", description = "Max gradient norm (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--eval-every", description = "Steps between validation losses (default: steps/20).")
    Integer evalEvery;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Keep the resumable state here.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: steps/10).")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in this checkpoint.")
    Path resume;

    @Option(names = {"-t", "--threads"}, description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--log", paramLabel = "FILE", description = "Write every step as a TSV line here.")
    Path log;

    int warmup(int steps) {
        return warmup == null ? Math.min(100, steps / 10) : warmup;
    }

    int evalEvery(int steps) {
        return evalEvery == null ? Math.max(1, steps / 20) : evalEvery;
    }

    int checkpointEvery(int steps) {
        return checkpointEvery == null ? Math.max(1, steps / 10) : checkpointEvery;
    }

    int threads() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * Runs {@code run} of {@code steps} steps from --resume: each step a TSV line in the --log file (when
     * given; its header first), and the progress line on {@code err} (redrawn on a terminal, else about every
     * 1% of the steps, at each validation and at the end).
     */
    <R> R run(PrintWriter err, int steps, Run<R> run) throws IOException {
        boolean tty = System.console() != null;
        try (Writer logFile = log == null ? null : Files.newBufferedWriter(log)) {
            R r = run.run(resume, reporter(err, logFile, tty, steps));
            if (tty) {
                err.println();
            }
            return r;
        }
    }

    private static Consumer<Trainer.Progress> reporter(PrintWriter err, Writer logFile, boolean tty, int steps)
            throws IOException {
        if (logFile != null) {
            logFile.write("step\tlr\tloss\tval_loss\tgrad_norm\ttokens_per_s\telapsed_s\n");
        }
        int every = Math.max(1, steps / 100);
        return prog -> {
            if (logFile != null) {
                try {
                    logFile.write(String.format(Locale.ROOT, "%d\t%.6g\t%.6f\t%s\t%.4f\t%.1f\t%.1f%n", prog.step(),
                            prog.lr(), prog.loss(), Float.isNaN(prog.valLoss()) ? "" : String.format(Locale.ROOT,
                                    "%.6f", prog.valLoss()), prog.gradNorm(), prog.tokensPerSecond(), prog.elapsedSeconds()));
                    logFile.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (tty || prog.step() % every == 0 || !Float.isNaN(prog.valLoss()) || prog.step() == prog.steps()) {
                err.print((tty ? "\r" : "") + progressLine(prog) + (tty ? "" : "\n"));
                err.flush();
            }
        };
    }

    static String progressLine(Trainer.Progress p) {
        int width = 24;
        int done = (int) ((long) width * p.step() / p.steps());
        double eta = p.step() == 0 ? 0 : p.elapsedSeconds() / p.step() * (p.steps() - p.step());
        return String.format(Locale.ROOT, "[%s%s] %d/%d loss %.4f%s lr %.2e |g| %.2f %.0f tok/s %s ETA %s",
                "=".repeat(done), " ".repeat(width - done), p.step(), p.steps(), p.loss(),
                Float.isNaN(p.valLoss()) ? "" : String.format(Locale.ROOT, " val %.4f", p.valLoss()), p.lr(), p.gradNorm(),
                p.tokensPerSecond(), clock(p.elapsedSeconds()), clock(eta));
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
