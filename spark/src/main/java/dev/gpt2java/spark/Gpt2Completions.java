package dev.gpt2java.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completions of a Dataset's prompt column: a transformation that adds, to every row,
 *
 * <ul>
 *   <li>{@value #COMPLETION} (string): the generated text, without the prompt;</li>
 *   <li>{@value #PROMPT_TOKENS} and {@value #COMPLETION_TOKENS} (int): the prompt's tokens and the generated
 *       ones;</li>
 *   <li>{@value #FINISH_REASON} (string): {@code eos}, {@code length} (maxTokens or the model's context) or
 *       {@code stop_string};</li>
 *   <li>{@value #ERROR} (string): null, or why the row has no completion (a null, empty or too long prompt, a
 *       null seed, a max-tokens value below 1); the other columns are null then, but the prompt tokens where
 *       they are known. A bad row never fails the job.</li>
 * </ul>
 *
 * <p>Deterministic per row (with one slot, the default; see {@link #withSlots}): a row's completion depends only
 * on its prompt, its seed and the options, never on the partitioning or on the rows generated beside it; it is
 * what {@code Generator.generate} gives for the same tokens, sampler and limits in a plain loop. The
 * transformation is a pure {@code mapPartitions}: a task that Spark retries (or runs twice, speculatively)
 * recomputes its partition from the same input, and Spark keeps one attempt's output, so no row is duplicated or
 * lost, and (deterministic) the retry's rows are the failed attempt's.
 *
 * <p>Each executor JVM loads the model once, when its first task needs it, and its tasks share it; each task
 * feeds its partition's rows to the JVM's engine, several at a time, and returns them in their order.
 *
 * <pre>{@code
 * Dataset<Row> out = Gpt2Completions.of(ModelSource.distribute(spark, "/models/gpt2.gguf"))
 *         .withOptions(CompletionOptions.greedy(32).withStopStrings("\n"))
 *         .transform(prompts);                          // a Dataset with a string column "prompt"
 * }</pre>
 */
public final class Gpt2Completions implements Serializable {

    public static final String COMPLETION = "completion";
    public static final String PROMPT_TOKENS = "prompt_tokens";
    public static final String COMPLETION_TOKENS = "completion_tokens";
    public static final String FINISH_REASON = "finish_reason";
    public static final String ERROR = "error";

    private static final List<StructField> OUTPUT = List.of(
            DataTypes.createStructField(COMPLETION, DataTypes.StringType, true),
            DataTypes.createStructField(PROMPT_TOKENS, DataTypes.IntegerType, true),
            DataTypes.createStructField(COMPLETION_TOKENS, DataTypes.IntegerType, true),
            DataTypes.createStructField(FINISH_REASON, DataTypes.StringType, true),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true));

    private final ModelSource model;
    private final CompletionOptions options;
    private final String promptColumn;
    private final String seedColumn;
    private final String maxTokensColumn;
    private final int slots;
    private final int threads;
    private final LongAccumulator loadCounter;

    private Gpt2Completions(ModelSource model, CompletionOptions options, String promptColumn, String seedColumn,
                            String maxTokensColumn, int slots, int threads, LongAccumulator loadCounter) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.promptColumn = Objects.requireNonNull(promptColumn, "promptColumn");
        this.seedColumn = seedColumn;
        this.maxTokensColumn = maxTokensColumn;
        if (slots < 1 || slots > 256) {
            throw new IllegalArgumentException("slots must be in 1..256, was " + slots);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: the executor's cores), was " + threads);
        }
        this.slots = slots;
        this.threads = threads;
        this.loadCounter = loadCounter;
    }

    /** Greedy completions of up to 64 tokens of the column {@code prompt}, each row alone ({@link #withSlots}). */
    public static Gpt2Completions of(ModelSource model) {
        return new Gpt2Completions(model, CompletionOptions.greedy(64), "prompt", null, null, 1, 0, null);
    }

    public Gpt2Completions withOptions(CompletionOptions options) {
        return new Gpt2Completions(model, options, promptColumn, seedColumn, maxTokensColumn, slots, threads, loadCounter);
    }

    /** The string column of the prompts (default {@code prompt}). */
    public Gpt2Completions withPromptColumn(String column) {
        return new Gpt2Completions(model, options, column, seedColumn, maxTokensColumn, slots, threads, loadCounter);
    }

    /** A long (or int) column whose value seeds its row's sampler instead of {@link CompletionOptions#seed()}. */
    public Gpt2Completions withSeedColumn(String column) {
        return new Gpt2Completions(model, options, promptColumn, column, maxTokensColumn, slots, threads, loadCounter);
    }

    /** An int (or long) column whose value is its row's token limit instead of {@link CompletionOptions#maxTokens()}. */
    public Gpt2Completions withMaxTokensColumn(String column) {
        return new Gpt2Completions(model, options, promptColumn, seedColumn, column, slots, threads, loadCounter);
    }

    /**
     * Rows generated at once by each executor JVM, all its tasks together (1..256).
     *
     * <p>1 (the default): each task generates its rows one after another, each as {@code Generator.generate} does
     * alone: the rows are those of a plain loop, bit for bit, on every run. 2 or more: the JVM's tasks share one
     * continuous-batching engine ({@link dev.gpt2java.batching.BatchingEngine}) with that many slots, which
     * computes several rows per step, hence faster; but a batched eval's logits differ from a lone one's in the
     * last bits (F32 weights about 1e-5, F16 up to 1e-2), so a token whose logit is that close to another's, or a
     * sampling draw that close to a boundary, can come out otherwise, and differ between two runs, as the rows
     * that share the steps differ (how often, measured: docs/SPARK.md). Each row still comes out once.
     */
    public Gpt2Completions withSlots(int slots) {
        return new Gpt2Completions(model, options, promptColumn, seedColumn, maxTokensColumn, slots, threads, loadCounter);
    }

    /**
     * Compute threads. With one slot, of each task; 0 (the default): {@code spark.task.cpus}. With several, of
     * the JVM's one engine; 0: the executor's cores ({@code spark.executor.cores}, else a local master's cores,
     * else 1).
     */
    public Gpt2Completions withThreads(int threads) {
        return new Gpt2Completions(model, options, promptColumn, seedColumn, maxTokensColumn, slots, threads, loadCounter);
    }

    /** Adds 1 to {@code counter} each time an executor JVM loads the model (for metrics and tests). */
    public Gpt2Completions withLoadCounter(LongAccumulator counter) {
        return new Gpt2Completions(model, options, promptColumn, seedColumn, maxTokensColumn, slots, threads, counter);
    }

    /** The schema of {@link #transform}'s result: {@code input}'s columns, then the five of this class. */
    public StructType outputSchema(StructType input) {
        requireColumn(input, promptColumn, DataTypes.StringType);
        if (seedColumn != null) {
            requireColumn(input, seedColumn, DataTypes.LongType, DataTypes.IntegerType);
        }
        if (maxTokensColumn != null) {
            requireColumn(input, maxTokensColumn, DataTypes.IntegerType, DataTypes.LongType);
        }
        StructType out = input;
        for (StructField f : OUTPUT) {
            if (Arrays.asList(input.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("the input already has a column " + f.name());
            }
            out = out.add(f);
        }
        return out;
    }

    /** The input with the completion columns added (lazy, as every Dataset transformation). */
    public Dataset<Row> transform(Dataset<Row> input) {
        StructType in = input.schema();
        StructType out = outputSchema(in);
        CompletePartition f = new CompletePartition(this, in.fieldIndex(promptColumn),
                seedColumn == null ? -1 : in.fieldIndex(seedColumn),
                maxTokensColumn == null ? -1 : in.fieldIndex(maxTokensColumn));
        return input.mapPartitions(f, Encoders.row(out));
    }

    /**
     * Closes this JVM's models that no task uses now (a driver in local mode keeps them after the session
     * stops); returns how many. A later task loads its model again.
     */
    public static int unloadIdleModels() {
        return ExecutorModels.unloadIdle();
    }

    CompletionOptions options() {
        return options;
    }

    /** Opens this JVM's model for a task (on the executor). */
    ExecutorModels.Lease acquireModel() {
        // one engine per JVM computes for all its tasks; without it, each task computes on its own cores
        boolean batched = slots > 1;
        int t = threads != 0 ? threads : batched ? executorCores() : TaskContext.get().cpus();
        ExecutorModels.Key key = new ExecutorModels.Key(model.resolve(), t, slots);
        return ExecutorModels.acquire(key, () -> {
            if (loadCounter != null) {
                loadCounter.add(1);
            }
        });
    }

    /**
     * The cores of this executor: {@code spark.executor.cores}, else those of a local master ({@code local[N]},
     * {@code local[*]}, {@code local-cluster[workers,cores,memory]}), else 1 (too few threads are slow; too many
     * spin on each other's cores).
     */
    static int executorCores() {
        SparkEnv env = SparkEnv.get();
        SparkConf conf = env == null ? new SparkConf(false) : env.conf();
        if (conf.contains("spark.executor.cores")) {
            return Math.max(1, conf.getInt("spark.executor.cores", 1));
        }
        return localCores(conf.get("spark.master", ""));
    }

    static int localCores(String master) {
        Matcher m = LOCAL_MASTER.matcher(master);
        if (!m.matches()) {
            return 1;
        }
        String n = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "1";
        return n.equals("*") ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(n));
    }

    /** local, local[N], local[*], local[N,F] (F: task failures), local-cluster[workers,cores,memory]. */
    private static final Pattern LOCAL_MASTER =
            Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?|local-cluster\\[\\d+,\\s*(\\d+),\\s*\\d+]");

    private static void requireColumn(StructType schema, String name, DataType... types) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("no column " + name + " in " + schema.simpleString());
        }
        DataType t = schema.apply(name).dataType();
        if (!Arrays.asList(types).contains(t)) {
            throw new IllegalArgumentException("column " + name + " is " + t.simpleString() + ", needs "
                    + Arrays.stream(types).map(DataType::simpleString).toList());
        }
    }
}
