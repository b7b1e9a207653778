package dev.gpt2java.spark;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.ModelParams;
import dev.gpt2java.sampling.SamplingParams;
import dev.gpt2java.search.GenerationParams;
import dev.gpt2java.search.GenerationResult;
import dev.gpt2java.search.Generator;
import dev.gpt2java.testsupport.TestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Spark sessions on loopback, the prompts of the tests, and the plain loop their output must equal. */
final class SparkTestSupport {

    private SparkTestSupport() {
    }

    /** The project's model (6 layers, GPT-2's vocabulary, 256 positions). */
    static Path kjvModel() {
        Path f = Path.of(System.getProperty("gpt2.root.dir", "..")).resolve("models/gpt2-kjv.gguf").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(f), f + " is missing");
        return f;
    }

    /**
     * A session bound to loopback, without UI. In {@code local-cluster} mode the executors are JVMs of their
     * own: they run on this JVM's class path and libgpt2 cache, from the SPARK_HOME the pom gives the tests.
     */
    static SparkSession.Builder builder(String master) {
        SparkSession.Builder b = SparkSession.builder().master(master).appName("gpt2-java-spark-test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2");
        if (master.startsWith("local-cluster")) {
            String home = System.getenv("SPARK_HOME");
            if (home == null || System.getenv("SPARK_SCALA_VERSION") == null) {
                fail("local-cluster mode needs SPARK_HOME and SPARK_SCALA_VERSION (the pom's surefire settings)");
            }
            try {
                Files.createDirectories(Path.of(home, "jars")); // the workers' distribution layout; our class path has Spark
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            b.config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executor.extraJavaOptions", "--enable-native-access=ALL-UNNAMED -Dgpt2.native.cache="
                            + TestSupport.tmpDir("native-cache"))
                    // start no task before both executors are there, so that both get some
                    .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "300s");
        }
        return b;
    }

    /** Stops the session, and closes the models its tasks left loaded in this JVM (local mode: the driver's). */
    static void stop(SparkSession spark) {
        if (spark != null) {
            spark.stop();
        }
        Gpt2Completions.unloadIdleModels();
    }

    /** The models loaded for 16 greedy rows in 4 tasks, none loaded before in this JVM. */
    static long loadsOf16RowsIn4Tasks(SparkSession spark, Gpt2Completions completions) {
        Gpt2Completions.unloadIdleModels();
        LongAccumulator loads = spark.sparkContext().longAccumulator("gpt2 model loads");
        List<Row> rows = completions.withOptions(CompletionOptions.greedy(4)).withLoadCounter(loads)
                .transform(dataset(spark, prompts(16, false), 4)).collectAsList();
        assertEquals(16, rows.size());
        return loads.value();
    }

    /** A row of the input: the prompt (null is a bad row), and its own seed and token limit (null: a bad row). */
    record Prompt(long id, String prompt, Long seed, Integer maxTokens) {
    }

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("prompt", DataTypes.StringType, true)
            .add("seed", DataTypes.LongType, true)
            .add("max_tokens", DataTypes.IntegerType, true);

    /** Verse openings and their variations, one per row; {@code bad} adds the rows that must get an error. */
    static List<Prompt> prompts(int n, boolean bad) {
        String[] openings = {"And God said", "In the beginning", "The LORD is my shepherd", "And it came to pass",
            "Blessed are the", "Then Jesus", "For God so loved", "And the earth", "Hear, O Israel", "My son,",
            "Thus saith the LORD", "And he said unto them"};
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = openings[i % openings.length] + (i < openings.length ? "" : " " + "and the ".repeat(i / openings.length));
            out.add(new Prompt(i, p.strip(), 1000L + i, 4 + i % 13));
        }
        if (bad) {
            out.add(new Prompt(n, null, 1L, 8));                               // no prompt
            out.add(new Prompt(n + 1, "", 1L, 8));                             // no tokens
            out.add(new Prompt(n + 2, "and ".repeat(300), 1L, 8));             // more tokens than the context
            out.add(new Prompt(n + 3, "And God said", null, 8));               // no seed
            out.add(new Prompt(n + 4, "And God said", 1L, 0));                 // no token to generate
            out.add(new Prompt(n + 5, "And God said", 1L, null));              // no token limit
            out.add(new Prompt(n + 6, "And Moses said", 7L, 8));               // a good row after them
        }
        return out;
    }

    static Dataset<Row> dataset(SparkSession spark, List<Prompt> prompts, int partitions) {
        List<Row> rows = prompts.stream().map(p -> RowFactory.create(p.id(), p.prompt(), p.seed(), p.maxTokens())).toList();
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    /** What a row must come out as: a completion, or an error (then only whether there is one is compared). */
    record Expected(String completion, Integer promptTokens, Integer completionTokens, String finishReason, boolean error) {
    }

    /**
     * The oracle: a plain loop on one JVM, each row with {@link Generator#generate} on a session of its own, the
     * sampler built from {@link SamplingParams} here (not by the code under test).
     */
    static Map<Long, Expected> loop(Path modelFile, List<Prompt> prompts, CompletionOptions o, boolean seedColumn,
                                    boolean maxTokensColumn) {
        Map<Long, Expected> out = new LinkedHashMap<>();
        // one thread: a second one would spin on cores the Spark tasks use
        try (Gpt2Model model = Gpt2Model.load(modelFile, ModelParams.defaults().withThreads(1))) {
            for (Prompt p : prompts) {
                int[] tokens = p.prompt() == null ? null : model.tokenizer().encode(p.prompt());
                Long seed = seedColumn ? p.seed() : Long.valueOf(o.seed());
                Integer max = maxTokensColumn ? p.maxTokens() : Integer.valueOf(o.maxTokens());
                if (tokens == null || tokens.length == 0 || tokens.length >= model.nCtxTrain() || seed == null
                        || max == null || max < 1) {
                    out.put(p.id(), new Expected(null, tokens == null ? null : tokens.length, null, null, true));
                    continue;
                }
                SamplingParams sp = SamplingParams.defaults().withTemperature(o.temperature()).withTopK(o.topK())
                        .withTopP(o.topP()).withMinP(o.minP()).withSeed(seed);
                GenerationParams gp = GenerationParams.of(max, model.eosToken())
                        .withStopStrings(o.stopStrings().toArray(String[]::new));
                GenerationResult r = Generator.generate(model, tokens, sp.newSampler(), gp, t -> { });
                out.put(p.id(), new Expected(r.text(), tokens.length, r.tokens().length,
                        r.reason().name().toLowerCase(Locale.ROOT), false));
            }
        }
        return out;
    }

    /** Asserts that Spark's rows are the loop's, row for row (each input row once). */
    static void assertSameRows(Map<Long, Expected> expected, List<Row> rows) {
        assertEquals(List.of(), differingRows(expected, rows), "rows whose completion is not the loop's");
    }

    /**
     * The ids of the rows whose completion, token count or finish reason is not the loop's; asserts the rest:
     * each input row once, the errors where the loop has them, the prompts' token counts.
     */
    static List<Long> differingRows(Map<Long, Expected> expected, List<Row> rows) {
        Map<Long, Row> byId = new LinkedHashMap<>();
        for (Row r : rows) {
            assertNull(byId.put(r.getLong(r.fieldIndex("id")), r), "a row twice: " + r);
        }
        assertEquals(expected.keySet(), byId.keySet(), "the rows");
        List<Long> differing = new ArrayList<>();
        for (Map.Entry<Long, Expected> e : expected.entrySet()) {
            Row r = byId.get(e.getKey());
            Expected x = e.getValue();
            String what = "row " + e.getKey() + " " + r;
            assertEquals(x.promptTokens(), r.getAs(Gpt2Completions.PROMPT_TOKENS), what);
            if (x.error()) {
                assertNotNull(r.getAs(Gpt2Completions.ERROR), what + ": no error");
                assertNull(r.getAs(Gpt2Completions.COMPLETION), what);
                continue;
            }
            assertNull(r.getAs(Gpt2Completions.ERROR), what);
            if (!x.completion().equals(r.getAs(Gpt2Completions.COMPLETION))
                    || !x.completionTokens().equals(r.getAs(Gpt2Completions.COMPLETION_TOKENS))
                    || !x.finishReason().equals(r.getAs(Gpt2Completions.FINISH_REASON))) {
                System.err.println(what + ": the loop has " + x);
                differing.add(e.getKey());
            }
        }
        return differing;
    }
}
