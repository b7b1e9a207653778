package dev.gpt2java.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Greedy chains, the llama.cpp penalties (no HF counterpart: checked by hand) and the chain's order. */
class GreedyAndPenaltiesTest {

    @Test
    void temperatureZeroIsGreedyAfterPenalties() {
        float[] logits = {1f, 3f, 2f};
        SamplerChain greedy = SamplingParams.greedy().withTopP(0.5).withRepetitionPenalty(2).newSampler();
        assertTrue(greedy.isGreedy());
        assertEquals(List.of(new RepetitionPenalty(2, SamplingParams.DEFAULT_LAST_N)), greedy.filters());
        assertEquals(2, greedy.sample(logits.clone(), new int[] {1})); // 3/2 < 2
        assertEquals(1, SamplingParams.greedy().newSampler().sample(logits.clone(), new int[0]));
    }

    @Test
    void greedyTakesTheLowestIdOnATie() {
        assertEquals(1, SamplerChain.greedy().sample(new float[] {0, 5, 5}, new int[0]));
    }

    @Test
    void topKOneDrawsTheArgmaxWhateverTheSeed() {
        float[] logits = HfFixtures.logits("v1000_normal");
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(Logits.argmax(logits), SamplerChain.of(seed, new TopK(1, 1)).sample(logits.clone(), new int[0]));
        }
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtractPerCountInTheWindow() {
        float[] logits = {1, 1, 1, 1};
        int[] history = {0, 1, 1, 3, 3, 3};
        new PresenceFrequencyPenalty(0.5, 0.25, -1).apply(logits, history);
        assertArrayEquals(new float[] {1 - 0.75f, 1 - 1.0f, 1, 1 - 1.25f}, logits);
        float[] windowed = {1, 1, 1, 1};
        new PresenceFrequencyPenalty(0.5, 0.25, 2).apply(windowed, history); // sees {3, 3}
        assertArrayEquals(new float[] {1, 1, 1, 0}, windowed);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerToken() {
        float[] logits = {2, -2, 2};
        new RepetitionPenalty(2, -1).apply(logits, new int[] {0, 0, 0, 1});
        assertArrayEquals(new float[] {1, -4, 2}, logits);
    }

    @Test
    void windowZeroPenalisesNothing() {
        float[] logits = {2, -2};
        new RepetitionPenalty(2, 0).apply(logits, new int[] {0, 1});
        new PresenceFrequencyPenalty(1, 1, 0).apply(logits, new int[] {0, 1});
        assertArrayEquals(new float[] {2, -2}, logits);
    }

    @Test
    void historyOutsideTheVocabularyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RepetitionPenalty(2, -1).apply(new float[3], new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> new LogitBias(Map.of(3, 1f)).apply(new float[3], new int[0]));
    }

    @Test
    void banningEveryTokenIsAnErrorNotASilentPick() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SamplerChain.of(1, LogitBias.ban(0, 1)).sample(new float[2], new int[0]));
        assertTrue(e.getMessage().contains("filtered out"), e.getMessage());
    }

    @Test
    void paramsBuildTheStagesThatAreOnInTheGivenOrder() {
        SamplingParams p = SamplingParams.defaults().withTopK(40).withTemperature(0.8).withMinP(0.05)
                .withOrder(Stage.parseOrder("min-p, top_k temperature"));
        assertEquals(List.of(new MinP(0.05, 1), new TopK(40, 1), new Temperature(0.8)), p.filters());
        assertEquals(List.of(new Temperature(0.8)), SamplingParams.defaults().withTemperature(0.8).filters());
        assertEquals(List.of(), SamplingParams.defaults().filters());
    }
}
