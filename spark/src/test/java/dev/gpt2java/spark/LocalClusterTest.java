package dev.gpt2java.spark;

import dev.gpt2java.spark.SparkTestSupport.Prompt;
import dev.gpt2java.testsupport.TestSupport;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.gpt2java.spark.SparkTestSupport.assertSameRows;
import static dev.gpt2java.spark.SparkTestSupport.dataset;
import static dev.gpt2java.spark.SparkTestSupport.loop;
import static dev.gpt2java.spark.SparkTestSupport.prompts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * local-cluster[2,1,1024]: two executor JVMs of one core each, started by two workers in this JVM, the model
 * shipped by Spark: given at the start ({@code spark.files}, as {@code --files}), or added later
 * ({@link ModelSource#distribute}, which needs a session that does not isolate artifacts). Each executor loads a
 * model once, for all its tasks and jobs.
 */
class LocalClusterTest {

    private static SparkSession spark;
    private static final Path MODEL = SparkTestSupport.kjvModel();

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.builder("local-cluster[2,1,1024]")
                .config("spark.files", MODEL.toString())
                .config("spark.sql.artifact.isolation.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        SparkTestSupport.stop(spark);
    }

    /** Appends the executor JVM's process id and how many models it has loaded so far. */
    static final class WithJvm implements MapPartitionsFunction<Row, Row> {
        @Override
        public java.util.Iterator<Row> call(java.util.Iterator<Row> rows) {
            List<Row> out = new ArrayList<>();
            rows.forEachRemaining(r -> {
                Object[] v = new Object[r.length() + 2];
                for (int i = 0; i < r.length(); i++) {
                    v[i] = r.get(i);
                }
                v[r.length()] = ProcessHandle.current().pid();
                v[r.length() + 1] = ExecutorModels.loads();
                out.add(RowFactory.create(v));
            });
            return out.iterator();
        }
    }

    private static List<Row> run(Gpt2Completions completions, List<Prompt> prompts, LongAccumulator loads) {
        var out = completions.withLoadCounter(loads).transform(dataset(spark, prompts, 6));
        var schema = out.schema().add("pid", DataTypes.LongType).add("loads", DataTypes.LongType);
        return out.mapPartitions(new WithJvm(), Encoders.row(schema)).collectAsList();
    }

    /** Each executor JVM that ran tasks has loaded exactly one model; returns them by process id. */
    private static Map<Long, Long> loadsByJvm(List<Row> rows) {
        Map<Long, Long> byPid = new TreeMap<>();
        for (Row r : rows) {
            byPid.put(r.getAs("pid"), r.getAs("loads"));
        }
        return byPid;
    }

    @Test
    void rowsAreThoseOfAPlainLoopAndEachExecutorLoadsTheModelOnce() {
        List<Prompt> prompts = prompts(30, false);
        CompletionOptions greedy = CompletionOptions.greedy(12).withStopStrings(";");
        LongAccumulator first = spark.sparkContext().longAccumulator("loads, greedy job");
        ModelSource model = ModelSource.sparkFile(MODEL.getFileName().toString());
        List<Row> rows = run(Gpt2Completions.of(model).withOptions(greedy), prompts, first);
        assertSameRows(loop(MODEL, prompts, greedy, false, false), rows);
        Map<Long, Long> jvms = loadsByJvm(rows);
        assertEquals(2, jvms.size(), "executor JVMs that ran the 6 tasks: " + jvms);
        assertEquals(List.of(1L, 1L), List.copyOf(jvms.values()), "models loaded per executor JVM: " + jvms);
        assertEquals(2, first.value(), "loads counted by the accumulator");

        // a second job on the same executors: sampling with a seed per row, bad rows among them; no new load
        List<Prompt> more = prompts(16, true);
        CompletionOptions sampling = CompletionOptions.sampling(10, 0.8, 0).withTopK(40);
        LongAccumulator second = spark.sparkContext().longAccumulator("loads, sampling job");
        List<Row> sampled = run(Gpt2Completions.of(model).withOptions(sampling).withSeedColumn("seed")
                .withMaxTokensColumn("max_tokens"), more, second);
        assertSameRows(loop(MODEL, more, sampling, true, true), sampled);
        assertEquals(0, second.value(), "loads in the second job");
        assertEquals(List.of(1L, 1L), List.copyOf(loadsByJvm(sampled).values()), "models loaded per executor JVM");

        // the same weights under another name, added now: a model of its own, loaded once more by each JVM
        Path copy = TestSupport.tmpDir("cluster").resolve("gpt2-kjv-copy.gguf");
        copyFile(MODEL, copy);
        LongAccumulator third = spark.sparkContext().longAccumulator("loads, added file");
        List<Row> again = run(Gpt2Completions.of(ModelSource.distribute(spark, copy.toString())).withOptions(greedy),
                prompts, third);
        assertSameRows(loop(MODEL, prompts, greedy, false, false), again);
        assertEquals(2, third.value(), "loads of the added file");
        assertEquals(List.of(2L, 2L), List.copyOf(loadsByJvm(again).values()), "models loaded per executor JVM");
    }

    private static void copyFile(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
