package dev.gpt2java.spark;

import dev.gpt2java.testsupport.ReadmeBlocks;
import dev.gpt2java.testsupport.TestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The Java example of README.md's section "On Apache Spark" is this file's {@link #example} body, word for word:
 * so it compiles (here), and runs (in local[2], on Parquet files, the model given as {@code spark.files}).
 */
class ReadmeSparkExampleTest {

    static void example(String input, String output) {
        // README:begin
        SparkSession spark = SparkSession.builder().appName("completions").getOrCreate();
        Dataset<Row> prompts = spark.read().parquet(input);        // a string column "prompt"
        Gpt2Completions completions = Gpt2Completions.of(ModelSource.sparkFile("gpt2-kjv.gguf"))  // given with --files
                .withOptions(CompletionOptions.greedy(32).withStopStrings("\n"))
                .withSlots(8);                                      // 8 rows per step, per executor
        completions.transform(prompts)
                .select("prompt", "completion", "prompt_tokens", "completion_tokens", "finish_reason", "error")
                .write().parquet(output);
        // README:end
    }

    @Test
    void readmeExampleIsThisCode() throws IOException {
        assertEquals(ReadmeBlocks.example("src/test/java/dev/gpt2java/spark/ReadmeSparkExampleTest.java"),
                ReadmeBlocks.block("## On Apache Spark", "java", ""),
                "README.md's ```java block in \"On Apache Spark\" differs from ReadmeSparkExampleTest.example");
    }

    @Test
    void readmeExampleWritesACompletionForEachRow() {
        Path dir = TestSupport.tmpDir("readme-spark");
        String input = dir.resolve("prompts.parquet").toString();
        String output = dir.resolve("completions.parquet").toString();
        // the executor's one core: one compute thread for the engine
        SparkSession spark = SparkTestSupport.builder("local[2]").config("spark.executor.cores", "1")
                .config("spark.files", SparkTestSupport.kjvModel().toString()).getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (SparkTestSupport.Prompt p : SparkTestSupport.prompts(12, false)) {
                rows.add(RowFactory.create(p.prompt()));
            }
            rows.add(RowFactory.create((Object) null));
            StructType schema = new StructType().add("prompt", DataTypes.StringType);
            spark.createDataFrame(rows, schema).repartition(2).write().mode("overwrite").parquet(input);
            deleteRecursively(Path.of(output)); // a Parquet output must not exist yet

            example(input, output);

            List<Row> out = spark.read().parquet(output).collectAsList();
            assertEquals(13, out.size());
            for (Row r : out) {
                if (r.isNullAt(r.fieldIndex("prompt"))) {
                    assertEquals("prompt is null", r.getAs("error"));
                } else {
                    assertNull(r.getAs("error"), r.toString());
                    assertNotNull(r.getAs("completion"), r.toString());
                }
            }
        } finally {
            SparkTestSupport.stop(spark);
        }
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var files = Files.walk(p)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
