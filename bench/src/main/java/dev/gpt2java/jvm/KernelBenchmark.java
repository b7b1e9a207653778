package dev.gpt2java.jvm;

import dev.gpt2java.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
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
 * The pure-Java engine's weight kernels ({@link WeightMatrix#matmulRows}) on one thread: one matrix of
 * GPT-2 124M's shapes in each weight type, times 1 token (the matvec of a greedy decoding step), 4
 * tokens (a 4-beam step: each block of weights decoded once for the four) or 32 (a piece of a
 * prompt). The matrix is random but valid data of its type, in off-heap memory as a mapped GGUF
 * would be. (In package dev.gpt2java.jvm to reach the package-private kernels; this module is on the
 * class path.)
 *
 * <pre>java -jar bench/target/benchmarks.jar KernelBenchmark -p type=Q8_0 -p shape=ffn_up</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {

    @Param({"F32", "F16", "Q8_0", "Q4_0"})
    public String type;

    /** rows x cols of GPT-2 124M: attn_qkv 2304x768, ffn_up 3072x768, ffn_down 768x3072, output 50257x768. */
    @Param({"attn_qkv", "ffn_up", "ffn_down", "output"})
    public String shape;

    @Param({"1", "4", "32"})
    public int tokens;

    @Param({"true"})
    public boolean vector;

    private Arena arena;
    private WeightMatrix w;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        int rows, cols;
        switch (shape) {
            case "attn_qkv" -> { rows = 2304; cols = 768; }
            case "ffn_up" -> { rows = 3072; cols = 768; }
            case "ffn_down" -> { rows = 768; cols = 3072; }
            case "output" -> { rows = 50257; cols = 768; }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        GgmlType t = GgmlType.valueOf(type);
        arena = Arena.ofShared();
        MemorySegment data = randomData(t, rows, cols, arena, new Random(1));
        w = WeightMatrix.of(t, data, rows, cols);
        Random rnd = new Random(2);
        x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        out = new float[tokens * rows];
    }

    /** rows x cols of valid {@code t} data: N(0, 0.02) weights (F32, F16), random quants and scales. */
    static MemorySegment randomData(GgmlType t, int rows, int cols, Arena arena, Random rnd) {
        long n = (long) rows * cols;
        MemorySegment m = arena.allocate(n / t.blockSize() * t.blockBytes(), 64);
        switch (t) {
            case F32 -> {
                for (long i = 0; i < n; i++) {
                    m.setAtIndex(WeightMatrix.F32_LE, i, (float) (0.02 * rnd.nextGaussian()));
                }
            }
            case F16 -> {
                for (long i = 0; i < n; i++) {
                    m.setAtIndex(WeightMatrix.I16_LE, i, Float.floatToFloat16((float) (0.02 * rnd.nextGaussian())));
                }
            }
            case Q8_0, Q4_0 -> {
                for (long b = 0; b < n / 32; b++) {
                    long off = b * t.blockBytes();
                    m.set(WeightMatrix.I16_LE, off, Float.floatToFloat16(0.0005f + 0.001f * rnd.nextFloat()));
                    for (int j = 2; j < t.blockBytes(); j++) {
                        m.set(ValueLayout.JAVA_BYTE, off + j, (byte) rnd.nextInt());
                    }
                }
            }
            default -> throw new IllegalArgumentException("no kernel for " + t);
        }
        return m;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** out[t][r] = W[r] · x[t] for every row r and token t. */
    @Benchmark
    public float[] matmul() {
        w.matmulRows(0, w.rows, x, w.cols, tokens, null, out, w.rows, vector);
        return out;
    }
}
