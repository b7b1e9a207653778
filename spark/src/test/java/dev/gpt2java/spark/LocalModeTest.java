package dev.gpt2java.spark;

import dev.gpt2java.spark.SparkTestSupport.Prompt;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.gpt2java.spark.SparkTestSupport.assertSameRows;
import static dev.gpt2java.spark.SparkTestSupport.dataset;
import static dev.gpt2java.spark.SparkTestSupport.loop;
import static dev.gpt2java.spark.SparkTestSupport.prompts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** local[2]: two tasks at once in one JVM, which loads the model once for both. */
class LocalModeTest {

    private static SparkSession spark;
    private static final Path MODEL = SparkTestSupport.kjvModel();

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.builder("local[2]").getOrCreate();
    }

    @AfterAll
    static void stop() {
        SparkTestSupport.stop(spark);
    }

    @Test
    void greedyRowsAreThoseOfAPlainLoop() {
        List<Prompt> prompts = prompts(24, false);
        CompletionOptions o = CompletionOptions.greedy(16).withStopStrings(";");
        List<Row> rows = Gpt2Completions.of(ModelSource.distribute(spark, MODEL.toString())).withOptions(o)
                .transform(dataset(spark, prompts, 3)).collectAsList();
        assertSameRows(loop(MODEL, prompts, o, false, false), rows);
    }

    @Test
    void seededSamplingRowsAreThoseOfAPlainLoop() {
        List<Prompt> prompts = prompts(24, false);
        CompletionOptions o = CompletionOptions.sampling(16, 0.9, 42).withTopK(40).withTopP(0.95);
        List<Row> rows = Gpt2Completions.of(ModelSource.path(MODEL.toString())).withOptions(o)
                .transform(dataset(spark, prompts, 3)).collectAsList();
        assertSameRows(loop(MODEL, prompts, o, false, false), rows);
    }

    @Test
    void badRowsGetAnErrorAndTheOthersTheirCompletion() {
        List<Prompt> prompts = prompts(8, true);
        CompletionOptions o = CompletionOptions.sampling(8, 1.0, 0).withMinP(0.05).withStopStrings(":", ".");
        List<Row> rows = Gpt2Completions.of(ModelSource.path(MODEL.toString())).withOptions(o)
                .withSeedColumn("seed").withMaxTokensColumn("max_tokens")
                .transform(dataset(spark, prompts, 2)).collectAsList();
        assertSameRows(loop(MODEL, prompts, o, true, true), rows);
    }

    @Test
    void theJvmLoadsTheModelOnceForAllItsTasks() {
        assertEquals(1, SparkTestSupport.loadsOf16RowsIn4Tasks(spark, Gpt2Completions.of(ModelSource.path(MODEL.toString()))),
                "models loaded by the 4 tasks, 2 at a time, in one JVM");
    }
}
