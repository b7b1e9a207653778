package dev.gpt2java.spark;

import dev.gpt2java.Gpt2Model;
import dev.gpt2java.search.GenerationResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * One task's rows: each row's request goes to the JVM's engine as soon as the task has fewer than
 * {@link RowEngine#window()} rows in flight; rows come out in their input order, as they end.
 */
final class CompletePartition implements MapPartitionsFunction<Row, Row> {

    private final Gpt2Completions completions;
    private final int promptIndex;
    private final int seedIndex;
    private final int maxTokensIndex;

    CompletePartition(Gpt2Completions completions, int promptIndex, int seedIndex, int maxTokensIndex) {
        this.completions = completions;
        this.promptIndex = promptIndex;
        this.seedIndex = seedIndex;
        this.maxTokensIndex = maxTokensIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        ExecutorModels.Lease lease = completions.acquireModel();
        Rows rows = new Rows(input, lease);
        TaskContext task = TaskContext.get();
        if (task != null) {
            // a task that ends early (failed, killed, a speculative copy not needed) leaves no row in the engine
            task.addTaskCompletionListener((TaskCompletionListener) context -> rows.close());
        }
        return rows;
    }

    /** A row on its way: its input, and its outcome (a result to come, or an error now). */
    private static final class Pending {
        final Row row;
        int[] prompt;
        RowRequest request;
        CompletableFuture<GenerationResult> result;
        String error;

        Pending(Row row) {
            this.row = row;
        }
    }

    /** What a row asks for, once its columns are checked. */
    private record RowRequest(long seed, int maxTokens) {
    }

    private final class Rows implements Iterator<Row> {
        private final Iterator<Row> input;
        private final ExecutorModels.Lease lease;
        private final Gpt2Model model;
        private final RowEngine engine;
        /** In input order; the first ones submitted (or failed), then those waiting for room in the engine. */
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private int submitted;

        Rows(Iterator<Row> input, ExecutorModels.Lease lease) {
            this.input = input;
            this.lease = lease;
            this.model = lease.model();
            this.engine = lease.engine();
        }

        @Override
        public boolean hasNext() {
            boolean more = !pending.isEmpty() || input.hasNext();
            if (!more) {
                lease.close();
            }
            return more;
        }

        /** Cancels the rows still generating, and hands the model back. */
        void close() {
            for (Pending p : pending) {
                if (p.result != null) {
                    p.result.cancel(false);
                }
            }
            lease.close();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            fill();
            Pending head = pending.peekFirst();
            while (head.error == null && head.result == null) {
                // the engine is full of other tasks' rows (none of ours is ahead of this one)
                LockSupport.parkNanos(1_000_000);
                submitWaiting();
            }
            pending.removeFirst();
            if (head.result != null) {
                submitted--;
            }
            Row out = output(head);
            fill();
            return out;
        }

        /** Reads rows until the window is full, and submits those that fit. */
        private void fill() {
            while (submitted < engine.window() && pending.size() < 2 * engine.window() && input.hasNext()) {
                Pending p = new Pending(input.next());
                check(p);
                pending.addLast(p);
                submitWaiting();
            }
            submitWaiting();
        }

        private void submitWaiting() {
            for (Pending p : pending) {
                if (p.error != null || p.result != null) {
                    continue;
                }
                if (submitted >= engine.window()) {
                    return;
                }
                CompletableFuture<GenerationResult> f;
                try {
                    f = engine.trySubmit(p.prompt, completions.options().newSampler(p.request.seed()),
                            completions.options().generationParams(p.request.maxTokens(), model.eosToken()));
                } catch (IllegalArgumentException e) {
                    p.error = e.getMessage();
                    continue;
                }
                if (f == null) {
                    return; // full: rows keep their order, so the later ones wait too
                }
                p.result = f;
                submitted++;
            }
        }

        /** Tokenizes the prompt and reads the row's options; a bad row gets its error. */
        private void check(Pending p) {
            Row row = p.row;
            if (row.isNullAt(promptIndex)) {
                p.error = "prompt is null";
                return;
            }
            p.prompt = model.tokenizer().encode(row.getString(promptIndex));
            int cells = engine.cells();
            if (p.prompt.length == 0) {
                p.error = "prompt is empty (no tokens)";
            } else if (p.prompt.length >= cells) {
                p.error = "prompt has " + p.prompt.length + " tokens; at most " + (cells - 1)
                        + " fit (the model's context of " + cells + " less one token to generate)";
            } else if (seedIndex >= 0 && row.isNullAt(seedIndex)) {
                p.error = "seed is null";
            } else if (maxTokensIndex >= 0 && row.isNullAt(maxTokensIndex)) {
                p.error = "max tokens is null";
            } else {
                long seed = seedIndex >= 0 ? ((Number) row.get(seedIndex)).longValue() : completions.options().seed();
                long max = maxTokensIndex >= 0 ? ((Number) row.get(maxTokensIndex)).longValue()
                        : completions.options().maxTokens();
                if (max < 1 || max > Integer.MAX_VALUE) {
                    p.error = "max tokens must be in 1.." + Integer.MAX_VALUE + ", was " + max;
                } else {
                    p.request = new RowRequest(seed, (int) max);
                }
            }
        }

        private Row output(Pending p) {
            Object[] values = Arrays.copyOf(rowValues(p.row), p.row.length() + 5);
            int i = p.row.length();
            values[i + 1] = p.prompt == null ? null : p.prompt.length;
            if (p.error != null) {
                values[i + 4] = p.error;
                return RowFactory.create(values);
            }
            GenerationResult r;
            try {
                r = p.result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IllegalArgumentException bad) {
                    values[i + 4] = bad.getMessage();
                    return RowFactory.create(values);
                }
                throw e; // the engine failed: the task fails, and Spark retries it
            }
            values[i] = r.text();
            values[i + 2] = r.tokens().length;
            values[i + 3] = r.reason().name().toLowerCase(Locale.ROOT);
            return RowFactory.create(values);
        }

        private static Object[] rowValues(Row row) {
            Object[] v = new Object[row.length()];
            for (int j = 0; j < v.length; j++) {
                v[j] = row.get(j);
            }
            return v;
        }
    }
}
