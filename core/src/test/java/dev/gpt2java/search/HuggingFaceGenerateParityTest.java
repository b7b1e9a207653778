package dev.gpt2java.search;

import dev.gpt2java.testsupport.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy and beam search give Hugging Face {@code generate()}'s tokens and {@code sequences_scores} on the
 * committed random GPT-2s (fixtures/generate/cases.json, made by fixtures/make_generate_fixtures.py).
 */
class HuggingFaceGenerateParityTest {

    /** Scores are sums of ~16 log-probabilities; our logits differ from HF's by ~1e-6. */
    static final double SCORE_TOLERANCE = 1e-4;

    private static double maxScoreDiff;
    private static String worstCase = "none";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(Models.fixture("generate", "cases.json")));
        return (List<Map<String, Object>>) doc.get("cases");
    }

    static Stream<Map<String, Object>> table() throws IOException {
        return cases().stream();
    }

    static BeamSearchParams params(Map<String, Object> c) {
        int eos = ((Double) c.get("eos_token_id")).intValue();
        EarlyStopping es = EarlyStopping.valueOf(((String) c.get("early_stopping")).toUpperCase(Locale.ROOT));
        return new BeamSearchParams(num(c, "num_beams"), (Double) c.get("length_penalty"), es,
                num(c, "num_return_sequences"), num(c, "no_repeat_ngram_size"), num(c, "max_new_tokens"),
                num(c, "min_new_tokens"), new int[] {eos});
    }

    static int num(Map<String, Object> c, String key) {
        return ((Double) c.get(key)).intValue();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("table")
    @SuppressWarnings("unchecked")
    void sameTokensAndScoresAsHuggingFace(Map<String, Object> c) {
        BeamSearchParams p = params(c);
        int[] prompt = Json.ints(c.get("prompt"));
        List<Hypothesis> got = BeamSearch.search(Models.get((String) c.get("model")), prompt, p);
        List<Map<String, Object>> want = (List<Map<String, Object>>) c.get("expected");
        assertEquals(want.size(), got.size(), c.get("name") + ": number of sequences");
        for (int r = 0; r < want.size(); r++) {
            int[] wantTokens = Json.ints(want.get(r).get("tokens"));
            double wantScore = (Double) want.get(r).get("score");
            assertArrayEquals(wantTokens, got.get(r).tokens(), c.get("name") + ": tokens of sequence " + r + ", got "
                    + Arrays.toString(got.get(r).tokens()));
            double d = Math.abs(wantScore - got.get(r).score());
            synchronized (HuggingFaceGenerateParityTest.class) {
                if (d > maxScoreDiff) {
                    maxScoreDiff = d;
                    worstCase = c.get("name") + " sequence " + r;
                }
            }
            assertEquals(wantScore, got.get(r).score(), SCORE_TOLERANCE, c.get("name") + ": score of sequence " + r);
        }
    }

    @Test
    void tableCoversTheRequiredCases() throws IOException {
        List<Map<String, Object>> cases = cases();
        assertTrue(cases.size() >= 20, "at least 20 cases, has " + cases.size());
        List<String> missing = new ArrayList<>();
        check(missing, "greedy", cases.stream().anyMatch(c -> num(c, "num_beams") == 1));
        for (int b = 2; b <= 5; b++) {
            int beams = b;
            check(missing, "num_beams " + b, cases.stream().anyMatch(c -> num(c, "num_beams") == beams));
        }
        check(missing, "length_penalty != 1", cases.stream().anyMatch(c -> num(c, "num_beams") > 1
                && (Double) c.get("length_penalty") != 1.0));
        for (String es : List.of("true", "false", "never")) {
            check(missing, "early_stopping " + es, cases.stream().anyMatch(c -> num(c, "num_beams") > 1
                    && es.equals(c.get("early_stopping"))));
        }
        check(missing, "num_return_sequences > 1", cases.stream().anyMatch(c -> num(c, "num_return_sequences") > 1));
        check(missing, "no_repeat_ngram_size 2", cases.stream().anyMatch(c -> num(c, "no_repeat_ngram_size") == 2));
        check(missing, "EOS reached early", cases.stream().anyMatch(HuggingFaceGenerateParityTest::endsEarly));
        check(missing, "min_new_tokens", cases.stream().anyMatch(c -> num(c, "min_new_tokens") > 0));
        assertTrue(missing.isEmpty(), "the table lacks: " + missing);
    }

    @SuppressWarnings("unchecked")
    static boolean endsEarly(Map<String, Object> c) {
        int eos = num(c, "eos_token_id");
        for (Map<String, Object> e : (List<Map<String, Object>>) c.get("expected")) {
            int[] t = Json.ints(e.get("tokens"));
            if (t.length < num(c, "max_new_tokens") && t[t.length - 1] == eos) {
                return true;
            }
        }
        return false;
    }

    static void check(List<String> missing, String what, boolean present) {
        if (!present) {
            missing.add(what);
        }
    }

    @AfterAll
    static void report() {
        System.out.printf(Locale.ROOT, "HF generate parity: max |score - HF score| = %.3e (%s)%n", maxScoreDiff,
                worstCase);
    }
}
