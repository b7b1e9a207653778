package dev.gpt2java.spark;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.sampling.Sampler;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ci/perf/bench-spark.sh's measurement (not part of the default run): rows/s and generated tokens/s of greedy
 * completions on one model, as a plain loop on this JVM (Generator, one thread) and as Spark jobs in
 * local-cluster mode with 1 and 2 executor JVMs of one core each, with one slot (rows bit for bit the loop's:
 * checked, every row) and with several (continuous batching: the rows that differ are counted). Each figure is
 * one timed run after a warm-up run of a few rows (model loaded, code compiled). Writes a Markdown table.
 *
 * <p>System properties: gpt2.spark.bench.model (GGUF), .rows, .tokens, .slots, .out (the table's file).
 */
@EnabledIfSystemProperty(named = "gpt2.spark.bench.model", matches = ".+")
class SparkBenchmark {

    private static final String MODEL = System.getProperty("gpt2.spark.bench.model");
    private static final int ROWS = Integer.getInteger("gpt2.spark.bench.rows", 1000);
    private static final int TOKENS = Integer.getInteger("gpt2.spark.bench.tokens", 16);
    private static final int SLOTS = Integer.getInteger("gpt2.spark.bench.slots", 8);
    private static final int WARMUP = 8;

    /** Prompts of 3 to 20 words, each row its own. */
    static List<String> prompts(int n) {
        String[] words = {"the", "river", "of", "light", "ran", "north", "under", "old", "stone", "bridges", "and",
            "every", "morning", "a", "bell", "rang", "twice", "for", "those", "who", "listened"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder("Row ").append(i).append(':');
            int len = 3 + (i * 7) % 18;
            for (int w = 0; w < len; w++) {
                b.append(' ').append(words[(i * 31 + w * 17) % words.length]);
            }
            out.add(b.toString());
        }
        return out;
    }

    record Figure(String what, int rows, long tokens, double seconds, String equal) {
        String line() {
            return String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %.1f | %s |", what, rows, tokens, seconds,
                    rows / seconds, tokens / seconds, equal);
        }
    }

    private static List<GenerationResult> loop(Gpt2Model model, List<String> prompts) {
        GenerationParams p = GenerationParams.of(TOKENS, model.eosToken());
        List<GenerationResult> out = new ArrayList<>();
        for (String s : prompts) {
            out.add(Generator.generate(model, model.tokenizer().encode(s), Sampler.GREEDY, p, t -> { }));
        }
        return out;
    }

    private static Dataset<Row> dataset(SparkSession spark, List<String> prompts, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            rows.add(RowFactory.create((long) i, prompts.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("prompt", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** One timed job; compares each row with the loop's. */
    private static Figure job(SparkSession spark, String what, int slots, int partitions, List<String> prompts,
                              List<GenerationResult> expected) {
        Gpt2Completions c = Gpt2Completions.of(ModelSource.sparkFile(Path.of(MODEL).getFileName().toString()))
                .withOptions(CompletionOptions.greedy(TOKENS)).withSlots(slots);
        c.transform(dataset(spark, prompts.subList(0, WARMUP), partitions)).collectAsList(); // loads, compiles
        long t0 = System.nanoTime();
        List<Row> rows = c.transform(dataset(spark, prompts, partitions)).collectAsList();
        double s = (System.nanoTime() - t0) / 1e9;
        long tokens = 0;
        int differ = 0;
        assertEquals(prompts.size(), rows.size());
        for (Row r : rows) {
            GenerationResult x = expected.get((int) r.getLong(0));
            tokens += r.<Integer>getAs(Gpt2Completions.COMPLETION_TOKENS);
            if (!x.text().equals(r.getAs(Gpt2Completions.COMPLETION))) {
                differ++;
            }
        }
        if (slots == 1) {
            assertEquals(0, differ, "rows of one slot that are not the loop's");
        }
        return new Figure(what, rows.size(), tokens, s, differ == 0 ? "all" : (rows.size() - differ) + "/" + rows.size());
    }

    @Test
    void measure() throws IOException {
        List<String> prompts = prompts(ROWS);
        List<Figure> figures = new ArrayList<>();
        List<GenerationResult> expected;
        try (Gpt2Model model = Gpt2Model.load(Path.of(MODEL), ModelParams.defaults().withThreads(1))) {
            loop(model, prompts.subList(0, WARMUP));
            long t0 = System.nanoTime();
            expected = loop(model, prompts);
            double s = (System.nanoTime() - t0) / 1e9;
            long tokens = expected.stream().mapToLong(r -> r.tokens().length).sum();
            figures.add(new Figure("plain loop, 1 JVM, 1 thread (Generator)", ROWS, tokens, s, "(reference)"));
        }
        for (int executors : new int[] {1, 2}) {
            SparkSession spark = SparkTestSupport.builder("local-cluster[" + executors + ",1,1536]")
                    .config("spark.files", MODEL).getOrCreate();
            try {
                int partitions = 4 * executors;
                figures.add(job(spark, "Spark, " + executors + " executor(s) x 1 core, 1 slot", 1, partitions, prompts, expected));
                figures.add(job(spark, "Spark, " + executors + " executor(s) x 1 core, " + SLOTS + " slots (batching)",
                        SLOTS, partitions, prompts, expected));
            } finally {
                spark.stop();
            }
        }
        List<String> table = new ArrayList<>(List.of(
                "| run | rows | generated tokens | s | rows/s | tokens/s | rows equal to the loop's |",
                "| --- | ---: | ---: | ---: | ---: | ---: | --- |"));
        figures.forEach(f -> table.add(f.line()));
        String md = String.join("\n", table) + "\n";
        System.out.print(md);
        String out = System.getProperty("gpt2.spark.bench.out");
        if (out != null) {
            Files.createDirectories(Path.of(out).toAbsolutePath().getParent());
            Files.writeString(Path.of(out), md);
        }
    }
}
