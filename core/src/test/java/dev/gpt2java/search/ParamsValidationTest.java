package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Parameters are checked where they are made, with messages naming the parameter and its range. */
class ParamsValidationTest {

    static void refused(String name, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    @Test
    void beamSearchParams() {
        BeamSearchParams ok = BeamSearchParams.of(3, 999);
        refused("numBeams", () -> ok.withNumBeams(0));
        refused("lengthPenalty", () -> ok.withLengthPenalty(Double.NaN));
        refused("numReturnSequences", () -> ok.withNumReturnSequences(4));
        refused("noRepeatNgramSize", () -> ok.withNoRepeatNgramSize(-1));
        refused("maxNewTokens", () -> ok.withMaxNewTokens(0));
        refused("minNewTokens", () -> ok.withMinNewTokens(21));
        refused("eosTokenIds", () -> ok.withEosTokenIds(-2));
        assertThrows(NullPointerException.class, () -> ok.withEarlyStopping(null));
    }

    @Test
    void generationParams() {
        GenerationParams ok = GenerationParams.of(10, 999);
        refused("maxNewTokens", () -> ok.withMaxNewTokens(0));
        refused("minNewTokens", () -> ok.withMinNewTokens(11));
        refused("noRepeatNgramSize", () -> ok.withNoRepeatNgramSize(-1));
        refused("stopStrings", () -> ok.withStopStrings(""));
        refused("topLogprobs", () -> ok.withTopLogprobs(-1));
        assertTrue(ok.withStopStrings("a", "b").stopStrings().equals(List.of("a", "b")));
    }
}
