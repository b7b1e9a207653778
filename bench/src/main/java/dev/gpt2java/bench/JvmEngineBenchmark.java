package dev.gpt2java.bench;

import dev.gpt2java.Gpt2;
import dev.gpt2java.RandomModelParams;
import dev.gpt2java.TensorType;
import dev.gpt2java.jvm.JvmModel;
import dev.gpt2java.jvm.JvmSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One generation step (tg: one token appended to a 32-token context) of the pure-Java engine
 * ({@code dev.gpt2java.jvm}) on a GPT-2-124M-shaped random model (12 layers, 12 heads, n_embd 768,
 * vocab 50257, tied output) written by {@link Gpt2#writeRandomModel} into {@code -Dgpt2.bench.dir}
 * (default: the temp dir; F32 is ~500 MB, kept between runs). Tokens/s = 1 / op time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class JvmEngineBenchmark {

    @Param({"F32", "Q8_0"})
    public String type;

    @Param({"1", "2"})
    public int threads;

    @Param({"true"})
    public boolean vector;

    private JvmModel model;
    private JvmSession session;
    private int next;

    static final int CONTEXT = 32;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = Path.of(System.getProperty("gpt2.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(dir);
        Path f = dir.resolve("gpt2-124m-shape-" + type + ".gguf");
        if (!Files.exists(f)) {
            Gpt2.writeRandomModel(f, RandomModelParams.defaults().withNVocab(50257).withNCtx(1024).withNEmbd(768)
                    .withNHead(12).withNLayer(12).withWeightType(TensorType.valueOf(type)).withTiedOutput(true)
                    .withSeed(1).withScale(0.02f));
        }
        model = JvmModel.load(f);
        session = model.newSession(JvmSession.Options.defaults().withNCtx(CONTEXT + 1).withThreads(threads)
                .withVector(vector));
        int[] prompt = new int[CONTEXT];
        for (int i = 0; i < CONTEXT; i++) {
            prompt[i] = (i * 7919) % 50000;
        }
        session.eval(0, prompt);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        model.close();
    }

    /** Appends one token at position 32 and drops it again: the cost of one decoding step. */
    @Benchmark
    public float[] generationStep() {
        float[] logits = session.eval(0, next);
        session.seqTruncate(0, CONTEXT);
        next = (next + 1) % 50000;
        return logits;
    }
}
