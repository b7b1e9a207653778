package dev.gpt2java.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the transformation refuses on the driver, before any task: options, columns, engine sizes. */
class Gpt2CompletionsArgumentsTest {

    private static final Gpt2Completions COMPLETIONS = Gpt2Completions.of(ModelSource.path("model.gguf"));
    private static final StructType INPUT = new StructType().add("id", DataTypes.LongType).add("prompt", DataTypes.StringType)
            .add("seed", DataTypes.LongType).add("max_tokens", DataTypes.IntegerType);

    private static void refused(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void optionsOutOfRangeAreRefusedWhereTheyAreMade() {
        refused("maxNewTokens", () -> CompletionOptions.greedy(0));
        refused("temperature", () -> CompletionOptions.sampling(8, -1, 0));
        refused("topP", () -> CompletionOptions.greedy(8).withTopP(1.5));
        refused("topK", () -> CompletionOptions.greedy(8).withTopK(-1));
        refused("minP", () -> CompletionOptions.greedy(8).withMinP(2));
        refused("stopStrings", () -> CompletionOptions.greedy(8).withStopStrings(""));
    }

    @Test
    void theOutputIsTheInputThenFiveColumns() {
        StructType out = COMPLETIONS.withSeedColumn("seed").withMaxTokensColumn("max_tokens").outputSchema(INPUT);
        assertEquals(List.of("id", "prompt", "seed", "max_tokens", "completion", "prompt_tokens", "completion_tokens",
                "finish_reason", "error"), List.of(out.fieldNames()));
    }

    @Test
    void missingOrMistypedColumnsAreRefused() {
        refused("no column text", () -> COMPLETIONS.withPromptColumn("text").outputSchema(INPUT));
        refused("column id is bigint", () -> COMPLETIONS.withPromptColumn("id").outputSchema(INPUT));
        refused("column prompt is string", () -> COMPLETIONS.withSeedColumn("prompt").outputSchema(INPUT));
        refused("already has a column error",
                () -> COMPLETIONS.outputSchema(INPUT.add("error", DataTypes.StringType)));
    }

    @Test
    void slotsAndThreadsOutOfRangeAreRefused() {
        refused("slots", () -> COMPLETIONS.withSlots(0));
        refused("slots", () -> COMPLETIONS.withSlots(257));
        refused("threads", () -> COMPLETIONS.withThreads(-1));
        refused("file name alone", () -> ModelSource.sparkFile("dir/model.gguf"));
    }

    @Test
    void aLocalMastersCoresAreTheDefaultThreadsOfTheEngine() {
        assertEquals(1, Gpt2Completions.localCores("local"));
        assertEquals(3, Gpt2Completions.localCores("local[3]"));
        assertEquals(2, Gpt2Completions.localCores("local[2,4]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), Gpt2Completions.localCores("local[*]"));
        assertEquals(1, Gpt2Completions.localCores("local-cluster[2,1,1024]"));
        assertEquals(4, Gpt2Completions.localCores("local-cluster[3, 4, 2048]"));
        assertEquals(1, Gpt2Completions.localCores("yarn"));
    }
}
