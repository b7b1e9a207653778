package dev.gpt2java.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gpt2java.Backend;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.MatMul;
import dev.gpt2java.ModelParams;
import dev.gpt2java.Session;
import dev.gpt2java.SessionParams;
import dev.gpt2java.testsupport.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy and beam search on libgpt2's own decode kernels ({@link MatMul#LIBGPT2}) give the tokens ggml's
 * ({@link MatMul#GGML}) give, with the same scores, for every case of fixtures/generate/cases.json on the F16
 * and Q8_0 files of its model: the weight types the kernels compute. (Hugging Face's tokens are those of the
 * F32 files, which both paths multiply with ggml: {@link HuggingFaceGenerateParityTest}.)
 */
class MatMulPathsAgreeTest {

    /**
     * A score is a sum of up to ~16 log-probabilities (divided by a length penalty), each of which moves by at
     * most twice the largest change of a logit. Q8_0: the kernels quantize the activations and sum as ggml's do,
     * logits 1e-7 to 4e-4 of the largest apart (test_parity), scores up to 1.5e-4 (measured, 2026-12-04); F16:
     * ours multiply the F32 activations where ggml rounds them to F16 first, logits ~1e-3 of the largest apart,
     * scores up to 5.5e-3 (measured). Bounds: ~4x those.
     */
    static double scoreTolerance(String type) {
        return type.equals("q8_0") ? 1e-3 : 2e-2;
    }

    private static final Map<String, Gpt2Model> MODELS = new HashMap<>();
    private static final Map<String, Double> MAX_SCORE_DIFF = new HashMap<>();

    static Stream<Arguments> table() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Map<String, Object> c : HuggingFaceGenerateParityTest.cases()) {
            for (String type : List.of("f16", "q8_0")) {
                out.add(Arguments.of(c.get("name"), type, c));
            }
        }
        return out.stream();
    }

    static synchronized Gpt2Model model(String name, String type) {
        return MODELS.computeIfAbsent(name + " " + type, k -> Gpt2Model.load(Models.fixture(name, "model-" + type + ".gguf"),
                ModelParams.defaults().withBackend(Backend.CPU)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void libgpt2KernelsSearchAsGgmlDoes(String name, String type, Map<String, Object> c) {
        BeamSearchParams p = HuggingFaceGenerateParityTest.params(c);
        int[] prompt = Json.ints(c.get("prompt"));
        Gpt2Model m = model((String) c.get("model"), type);
        SessionParams sp = p.numBeams() == 1 ? GreedySearch.sessionParams(prompt.length, p)
                : BeamSearch.sessionParams(prompt.length, p);
        List<Hypothesis> ggml = search(m, sp.withMatMul(MatMul.GGML), prompt, p);
        List<Hypothesis> ours = search(m, sp.withMatMul(MatMul.LIBGPT2), prompt, p);
        assertEquals(ggml.size(), ours.size(), name + " " + type + ": number of sequences");
        for (int r = 0; r < ggml.size(); r++) {
            assertArrayEquals(ggml.get(r).tokens(), ours.get(r).tokens(), name + " " + type + ": tokens of sequence " + r
                    + ", ggml " + Arrays.toString(ggml.get(r).tokens()));
            double d = Math.abs(ggml.get(r).score() - ours.get(r).score());
            synchronized (MatMulPathsAgreeTest.class) {
                MAX_SCORE_DIFF.merge(type, d, Math::max);
            }
            assertEquals(ggml.get(r).score(), ours.get(r).score(), scoreTolerance(type),
                    name + " " + type + ": score of sequence " + r);
        }
    }

    static List<Hypothesis> search(Gpt2Model m, SessionParams sp, int[] prompt, BeamSearchParams p) {
        try (Session s = m.newSession(sp)) {
            assertEquals(sp.matmul(), s.params().matmul(), "the session's matmul");
            return BeamSearch.search(s, prompt, p);
        }
    }

    @AfterAll
    static void closeModels() {
        System.out.printf(Locale.ROOT, "libgpt2 vs ggml matmul, greedy and beams: max |score difference| by type %s%n",
                MAX_SCORE_DIFF);
        MODELS.values().forEach(Gpt2Model::close);
        MODELS.clear();
    }
}
