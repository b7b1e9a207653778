package dev.gpt2java.bench;

import dev.gpt2java.Batch;
import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One generation step through the public API ({@link Session}), on either engine: {@code beams} = 1,
 * a greedy step ({@link Session#evalInto}: one token appended to a 32-token context, its logits copied
 * into a reused array); {@code beams} = 4, a beam search's step (one {@link Session#eval(Batch)} of
 * four tokens, one for each of four sequences forked from the context, the four rows of logits
 * copied out). The step's tokens are dropped again after it, so every step sees the same context.
 * The model is GPT-2 124M's shape with random weights (tied output), written by the native build's
 * {@code gpt2-make-model} ({@code bin/} of {@code -Dgpt2.native.build.dir}, default
 * {@code core/target/native}) into {@code -Dgpt2.bench.dir} (default: the temp dir; kept between runs).
 *
 * <pre>java -jar bench/target/benchmarks.jar GenerationStepBenchmark -p engine=JAVA -p type=Q8_0</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GenerationStepBenchmark {

    @Param({"NATIVE", "JAVA"})
    public String engine;

    @Param({"F16", "Q8_0"})
    public String type;

    @Param({"1", "4"})
    public int beams;

    @Param({"1", "2"})
    public int threads;

    static final int CONTEXT = 32;
    static final int VOCAB = 50257;

    private Gpt2Model model;
    private Session session;
    private float[][] logits;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = Path.of(System.getProperty("gpt2.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(dir);
        Path f = dir.resolve("gpt2-124m-shape-" + type + ".gguf");
        if (!Files.exists(f)) {
            Path tmp = dir.resolve(f.getFileName() + ".tmp");
            makeModel(tmp, "--vocab", Integer.toString(VOCAB), "--ctx", "1024", "--embd", "768", "--head", "12",
                    "--layer", "12", "--type", type.toLowerCase(Locale.ROOT), "--seed", "1", "--scale", "0.02");
            Files.move(tmp, f);
        }
        model = Gpt2Model.load(f, ModelParams.defaults().withEngine(Engine.valueOf(engine)).withThreads(threads));
        session = model.newSession(SessionParams.defaults().withNCells(CONTEXT + beams + 1).withNSeqMax(beams)
                .withNBatch(CONTEXT));
        int[] prompt = new int[CONTEXT];
        for (int i = 0; i < CONTEXT; i++) {
            prompt[i] = (i * 7919) % 50000;
        }
        session.eval(0, prompt);
        for (int b = 1; b < beams; b++) {
            session.seqCopy(0, b);
        }
        logits = new float[beams][VOCAB];
    }

    /** Runs the native build's {@code gpt2-make-model --out file options...}. */
    static void makeModel(Path file, String... options) throws IOException {
        Path tool = Path.of(System.getProperty("gpt2.native.build.dir", "core/target/native"), "bin", "gpt2-make-model");
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--out", file.toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + tool + " ran", e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        model.close();
    }

    /** One step: a token appended to each sequence (logits copied out), then dropped again. */
    @Benchmark
    public float[][] step() {
        next = (next + 1) % 50000;
        if (beams == 1) {
            session.evalInto(logits[0], 0, next);
        } else {
            Batch.Builder b = Batch.builder();
            for (int s = 0; s < beams; s++) {
                b.add((next + 101 * s) % 50000, s, true);
            }
            int rows = session.eval(b.build());
            for (int r = 0; r < rows; r++) {
                session.logits(r, logits[r]);
            }
        }
        for (int s = 0; s < beams; s++) {
            session.seqTruncate(s, CONTEXT);
        }
        return logits;
    }
}
