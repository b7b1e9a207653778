package dev.gpt2java.cli;

import dev.gpt2java.Batch;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.MatMul;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gpt2 bench}: prompt processing and generation speed, in llama-bench's spirit. pp N: one eval
 * of N prompt tokens (logits for the last); tg N: N evals of one token each after a one-token prompt,
 * each with logits (what generation does). With {@code --beams B}: tg N xB, N steps that each evaluate
 * one batch of B tokens, one for each of B sequences forked from the prompt, each with logits (a beam
 * search's step), reported as the tokens of all B sequences per second. Each test is warmed up (run
 * until {@code --warmup-time} has passed, at least once: the JIT compiles the Java engine's kernels
 * in the first runs), then run {@code -r} times; tokens/s are reported as median, min and max. The logits of every step are
 * copied into buffers reused across steps, as a decoding loop does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures prompt processing (pp) and generation (tg) in tokens/s: the median, min and max "
                + "of several repetitions after a warm-up, for each thread count given.")
final class BenchCommand extends Gpt2Command {

    @Mixin
    ModelOptions model;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", defaultValue = "128",
            description = "Prompt tokens for the pp test (0: skip it; default ${DEFAULT-VALUE}).")
    int nPrompt;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", defaultValue = "64",
            description = "Generated tokens for the tg test (0: skip it; default ${DEFAULT-VALUE}).")
    int nGen;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5",
            description = "Repetitions after the warm-up, >= 1 (default ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--thread-counts", paramLabel = "N[,N...]", split = ",",
            description = "Thread counts to measure, e.g. 1,2 (default: -t).")
    int[] threadCounts;

    @Option(names = "--beams", paramLabel = "B", defaultValue = "1",
            description = "Also measure tg N xB: each step one batched eval of B tokens, one per sequence "
                    + "(a beam search's step), in tokens/s of all B sequences (default ${DEFAULT-VALUE}: off).")
    int beams;

    @Option(names = "--warmup-time", paramLabel = "SECONDS", defaultValue = "1",
            description = "Warm-up before each test: runs until this much time has passed, at least one "
                    + "(default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--flash-attn", description = "Fused attention in libgpt2 (ggml_flash_attn_ext): the same "
            + "logits within 1e-5, and a beam's token skips the other sequences' cells (the Java engine computes as "
            + "without it).")
    boolean flashAttn;

    @Option(names = "--matmul", paramLabel = "KERNELS", defaultValue = "ggml",
            description = "Whose kernels multiply the matrices of a step of 1 to 64 tokens: ggml (llama.cpp's, the "
                    + "default here, so that figures compare with llama-bench's), libgpt2 (its own, for F16, Q8_0 and Q4_0 "
                    + "weights, on the CPU) or auto (the library's default: libgpt2's on the CPU).")
    MatMul matmul;

    @Option(names = "--json", description = "Print the results as JSON lines instead of a table.")
    boolean json;

    record Result(String test, int threads, double median, double min, double max) {
    }

    @Override
    public Integer call() {
        if (nPrompt < 0 || nGen < 0 || (nPrompt == 0 && nGen == 0)) {
            throw usage("-p and -n must be >= 0, and not both 0");
        }
        if (reps < 1 || reps > 1000) {
            throw usage("-r must be in [1, 1000], was " + reps);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw usage("--warmup-time must be in [0, 600] seconds, was "
                    + warmupSeconds);
        }
        if (beams < 1 || beams > 64) {
            throw usage("--beams must be in [1, 64], was " + beams);
        }
        if (beams > 1 && nGen == 0) {
            throw usage("--beams needs a tg test (-n > 0)");
        }
        int[] threads = threadCounts != null ? threadCounts : new int[] {model.threads()};
        for (int t : threads) {
            if (t < 0 || t > 512) {
                throw usage("thread counts must be in [0, 512], was " + t);
            }
        }
        PrintWriter out = out();
        try (Gpt2Model m = model.load()) {
            if (nPrompt > m.nCtxTrain() || nGen + 1 > m.nCtxTrain()) {
                throw usage("-p and -n + 1 must fit the model's " + m.nCtxTrain() + " positions");
            }
            // cells: the pp prompt, or the tg one-token prompt shared by the B sequences and their N tokens each
            int cells = Math.max(nPrompt, 1 + beams * nGen) + 1;
            SessionParams sp = SessionParams.defaults().withNCells(cells).withNSeqMax(beams)
                    .withNBatch(Math.max(beams, Math.min(nPrompt, cells))).withFlashAttn(flashAttn).withMatMul(matmul);
            List<Result> results = new ArrayList<>();
            try (Session s = m.newSession(sp)) {
                float[][] logits = new float[beams][m.nVocab()];
                for (int t : threads) {
                    s.setThreads(t);
                    if (nPrompt > 0) {
                        results.add(measure("pp " + nPrompt, t, () -> pp(s, m.nVocab())));
                    }
                    if (nGen > 0) {
                        results.add(measure("tg " + nGen, t, () -> tg(s, m.nVocab(), logits[0])));
                    }
                    if (beams > 1) {
                        results.add(measure("tg " + nGen + " x" + beams, t, () -> tgBeams(s, m.nVocab(), logits)));
                    }
                }
            }
            String name = m.path().getFileName().toString();
            if (!json) {
                out.println("| model | weights | backend | threads | test | t/s (median) | min | max |");
                out.println("|---|---|---|---|---|---|---|---|");
            }
            for (Result r : results) {
                out.println(json
                        ? String.format(Locale.ROOT, "{\"model\":\"%s\",\"weights\":\"%s\",\"backend\":\"%s\",\"threads\":%d,"
                                + "\"test\":\"%s\",\"tokens_per_s_median\":%.3f,\"min\":%.3f,\"max\":%.3f,\"repetitions\":%d,"
                                + "\"matmul\":\"%s\"}",
                                name.replace("\"", "\\\""), m.weightType(), m.backendName(), r.threads(), r.test(), r.median(),
                                r.min(), r.max(), reps, matmul.name().toLowerCase(Locale.ROOT))
                        : String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |", name, m.weightType(),
                                m.backendName(), r.threads() == 0 ? "auto" : Integer.toString(r.threads()), r.test(),
                                r.median(), r.min(), r.max()));
            }
        }
        out.flush();
        return 0;
    }

    interface Run {
        double tokensPerSecond();
    }

    private Result measure(String test, int threads, Run run) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            run.tokensPerSecond(); // warm-up
        } while (System.nanoTime() < until);
        double[] tps = new double[reps];
        for (int i = 0; i < reps; i++) {
            tps[i] = run.tokensPerSecond();
        }
        Arrays.sort(tps);
        return new Result(test, threads, tps[reps / 2], tps[0], tps[reps - 1]);
    }

    private double pp(Session s, int nVocab) {
        s.clearAll();
        int[] prompt = new int[nPrompt];
        for (int i = 0; i < nPrompt; i++) {
            prompt[i] = (int) ((i * 7919L + 13) % (nVocab - 1));
        }
        long t0 = System.nanoTime();
        s.eval(0, prompt);
        return nPrompt / ((System.nanoTime() - t0) / 1e9);
    }

    private double tg(Session s, int nVocab, float[] logits) {
        s.clearAll();
        s.evalInto(logits, 0, 1);
        long t0 = System.nanoTime();
        for (int i = 0; i < nGen; i++) {
            s.evalInto(logits, 0, (int) ((i * 104729L + 1) % (nVocab - 1)));
        }
        return nGen / ((System.nanoTime() - t0) / 1e9);
    }

    /** nGen steps of one batch holding one token for each of {@code logits.length} sequences forked from one prompt. */
    private double tgBeams(Session s, int nVocab, float[][] logits) {
        int b = logits.length;
        s.clearAll();
        s.evalInto(logits[0], 0, 1);
        for (int j = 1; j < b; j++) {
            s.seqCopy(0, j);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < nGen; i++) {
            Batch.Builder batch = Batch.builder();
            for (int j = 0; j < b; j++) {
                batch.add((int) (((long) i * b + j) * 104729L % (nVocab - 1)), j, true);
            }
            int rows = s.eval(batch.build());
            for (int r = 0; r < rows; r++) {
                s.logits(r, logits[r]);
            }
        }
        return (double) nGen * b / ((System.nanoTime() - t0) / 1e9);
    }
}
