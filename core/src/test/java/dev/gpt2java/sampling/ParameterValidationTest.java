package dev.gpt2java.sampling;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bound of every parameter: out of range throws IllegalArgumentException naming it and its range. */
class ParameterValidationTest {

    private static final SamplingParams D = SamplingParams.defaults();

    private static void rejected(String parameter, String range, Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(parameter + " "), ex.getMessage());
        assertTrue(ex.getMessage().contains(range), ex.getMessage());
    }

    private static void params(String parameter, String range, UnaryOperator<SamplingParams> bad, UnaryOperator<SamplingParams> edge) {
        rejected(parameter, range, () -> bad.apply(D));
        assertDoesNotThrow(() -> edge.apply(D));
    }

    @Test
    void temperatureIsNonNegativeAndFinite() {
        params("temperature", "[0, +inf)", p -> p.withTemperature(-1e-9), p -> p.withTemperature(0));
        params("temperature", "[0, +inf)", p -> p.withTemperature(Double.POSITIVE_INFINITY), p -> p.withTemperature(1e6));
        params("temperature", "[0, +inf)", p -> p.withTemperature(Double.NaN), p -> p.withTemperature(1));
        rejected("temperature", "(0, +inf)", () -> new Temperature(0));
    }

    @Test
    void topKIsNonNegative() {
        params("topK", "[0, ", p -> p.withTopK(-1), p -> p.withTopK(0));
        rejected("topK", "[1, ", () -> new TopK(0, 1));
    }

    /** A parameter in [0, 1]: its wither, and a filter built out of range. */
    record Probability(String name, BiFunction<SamplingParams, Double, SamplingParams> with, Executable badFilter) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Probability> probabilities() {
        return Stream.of(new Probability("topP", SamplingParams::withTopP, () -> new TopP(2, 1)),
                new Probability("minP", SamplingParams::withMinP, () -> new MinP(-1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probabilities")
    void isAProbability(Probability q) {
        params(q.name(), "[0, 1]", p -> q.with().apply(p, -0.01), p -> q.with().apply(p, 0.0));
        params(q.name(), "[0, 1]", p -> q.with().apply(p, 1.01), p -> q.with().apply(p, 1.0));
        params(q.name(), "[0, 1]", p -> q.with().apply(p, Double.NaN), p -> q.with().apply(p, 0.5));
        rejected(q.name(), "[0, 1]", q.badFilter());
    }

    @Test
    void typicalPIsAPositiveProbability() {
        params("typicalP", "(0, 1]", p -> p.withTypicalP(0), p -> p.withTypicalP(Double.MIN_VALUE));
        params("typicalP", "(0, 1]", p -> p.withTypicalP(1.01), p -> p.withTypicalP(1));
        params("typicalP", "(0, 1]", p -> p.withTypicalP(Double.NaN), p -> p.withTypicalP(0.5));
        rejected("typicalP", "(0, 1]", () -> new TypicalP(0, 1));
    }

    @Test
    void minKeepIsPositive() {
        params("minKeep", "[1, ", p -> p.withMinKeep(0), p -> p.withMinKeep(1));
        for (Executable e : List.<Executable>of(() -> new TopK(1, 0), () -> new TopP(0.5, 0), () -> new MinP(0.5, 0),
                () -> new TypicalP(0.5, 0))) {
            rejected("minKeep", "[1, ", e);
        }
    }

    @Test
    void repetitionPenaltyIsPositiveAndFinite() {
        params("repetitionPenalty", "(0, +inf)", p -> p.withRepetitionPenalty(0), p -> p.withRepetitionPenalty(Double.MIN_VALUE));
        params("repetitionPenalty", "(0, +inf)", p -> p.withRepetitionPenalty(Double.POSITIVE_INFINITY), p -> p.withRepetitionPenalty(1e6));
        params("repetitionPenalty", "(0, +inf)", p -> p.withRepetitionPenalty(Double.NaN), p -> p.withRepetitionPenalty(1));
        rejected("repetitionPenalty", "(0, +inf)", () -> new RepetitionPenalty(-1, -1));
    }

    @Test
    void presenceAndFrequencyPenaltiesAreFinite() {
        params("presencePenalty", "(-inf, +inf)", p -> p.withPresencePenalty(Double.NaN), p -> p.withPresencePenalty(-2));
        params("presencePenalty", "(-inf, +inf)", p -> p.withPresencePenalty(Double.NEGATIVE_INFINITY), p -> p.withPresencePenalty(2));
        params("frequencyPenalty", "(-inf, +inf)", p -> p.withFrequencyPenalty(Double.POSITIVE_INFINITY), p -> p.withFrequencyPenalty(-2));
        params("frequencyPenalty", "(-inf, +inf)", p -> p.withFrequencyPenalty(Double.NaN), p -> p.withFrequencyPenalty(2));
        rejected("presencePenalty", "(-inf, +inf)", () -> new PresenceFrequencyPenalty(Double.NaN, 0, 1));
        rejected("frequencyPenalty", "(-inf, +inf)", () -> new PresenceFrequencyPenalty(0, Double.NaN, 1));
    }

    @Test
    void lastNIsMinusOneOrNonNegative() {
        params("lastN", "[0, ", p -> p.withLastN(-2), p -> p.withLastN(-1));
        assertDoesNotThrow(() -> D.withLastN(0));
        rejected("lastN", "-1", () -> new RepetitionPenalty(1.1, -2));
        rejected("lastN", "-1", () -> new PresenceFrequencyPenalty(1, 1, -2));
    }

    @Test
    void logitBiasTokensAreIdsAndBiasesFiniteOrMinusInfinity() {
        params("logitBias", "[0, nVocab)", p -> p.withLogitBias(Map.of(-1, 1f)), p -> p.withLogitBias(Map.of(0, 1f)));
        params("logitBias", "[-inf, +inf)", p -> p.withLogitBias(Map.of(0, Float.NaN)),
                p -> p.withLogitBias(Map.of(0, Float.NEGATIVE_INFINITY)));
        params("logitBias", "[-inf, +inf)", p -> p.withLogitBias(Map.of(0, Float.POSITIVE_INFINITY)),
                p -> p.withLogitBias(new HashMap<>()));
        params("logitBias", "map", p -> p.withLogitBias(null), p -> p.withLogitBias(Map.of()));
    }

    @Test
    void orderListsEachStageOnceAndEveryStageThatIsOn() {
        params("order", "at most once", p -> p.withOrder(List.of(Stage.TOP_K, Stage.TOP_K)), p -> p.withOrder(List.of()));
        params("order", "TOP_P is on", p -> p.withOrder(List.of(Stage.TOP_K)).withTopP(0.9),
                p -> p.withOrder(List.of(Stage.TOP_P)).withTopP(0.9));
        params("order", "a list", p -> p.withOrder(null), p -> p.withOrder(Arrays.asList(Stage.values())));
        rejected("order", "unknown stage 'top_q'", () -> Stage.parseOrder("top_k,top_q"));
    }

    @Test
    void anySeedIsValid() {
        assertDoesNotThrow(() -> D.withSeed(Long.MIN_VALUE).withSeed(-1).withSeed(Long.MAX_VALUE));
    }
}
