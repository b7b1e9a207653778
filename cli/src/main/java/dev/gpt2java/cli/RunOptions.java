package dev.gpt2java.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The options a training run and a fine-tuning run share, with the same defaults: warm-up, AdamW's β1,
 * clipping, the validation and checkpoint cadence, resuming, threads and the TSV log. The options whose
 * defaults differ (learning rates, weight decay, β2) stay with each command.
 */
final class RunOptions {

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
}
