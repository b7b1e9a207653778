package dev.gpt2java.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpt2java.Engine;
import dev.gpt2java.Gpt2Model;
import dev.gpt2java.Intervention;
import dev.gpt2java.ModelParams;
import dev.gpt2java.gguf.GgmlType;
import dev.gpt2java.gguf.GgufFile;
import dev.gpt2java.gguf.Gpt2Gguf;
import dev.gpt2java.inspect.Patching;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpt2 patch} prints what {@link Patching} computes, on both engines, on the tiny fixture model, on Hugging Face
 * models converted by {@code gpt2 convert} and on the default model, and refuses what it cannot do.
 */
class PatchCommandTest {

    static final String PROMPT = "The quick brown fox jumps over";

    /** The rows of the table: id, p before, p after, delta log p. */
    private static List<double[]> rows(Cli.Result r) {
        return r.outLines().stream().filter(l -> l.trim().matches("\\d+\\s+\\d+\\s+.*"))
                .map(l -> {
                    String[] f = l.trim().split("\\s+");
                    return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[f.length - 3]),
                            Double.parseDouble(f[f.length - 2]), Double.parseDouble(f[f.length - 1])};
                }).toList();
    }

    /**
     * {@code gpt2 patch --ablate BLOCK.HEAD -k 5} on {@code model} prints, on each engine, what {@link Patching} computes
     * on that engine. The engines agree to 1e-5 on F32 weights; on F16, ggml rounds the activations to F16 for the
     * matrix products and the Java engine does not, so their probabilities differ by up to about 1e-3.
     */
    static void assertAblationPrintsTheLibrarys(Path model, int block, int head) {
        double[] pBefore = new double[2];
        for (Engine engine : List.of(Engine.NATIVE, Engine.JAVA)) {
            String name = engine.name().toLowerCase(Locale.ROOT);
            Patching.Change c;
            try (Gpt2Model m = Gpt2Model.load(model, ModelParams.defaults().withEngine(engine).withThreads(1))) {
                c = Patching.nextToken(m, m.tokenizer().encode(PROMPT), List.of(Intervention.zeroHead(block, head)), 5);
            }
            Cli.Result r = Cli.run("patch", "-m", model.toString(), "--engine", name, "--ablate", block + "." + head, "-k", "5",
                    "-t", "1", PROMPT);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(" prompt tokens; interventions: zero head " + block + "." + head + "\n"), r.out());
            List<double[]> rows = rows(r);
            assertEquals(5, rows.size(), r.out());
            for (int i = 0; i < 5; i++) {
                int id = (int) rows.get(i)[0];
                assertEquals(c.topAfter()[i], id, name + ": " + r.out());
                assertEquals(Math.exp(c.logProbBefore(id)), rows.get(i)[1], 1e-5, name + " p before");
                assertEquals(Math.exp(c.logProbAfter(id)), rows.get(i)[2], 1e-5, name + " p after");
            }
            String kl = r.outLines().stream().filter(l -> l.startsWith("KL(after || before) = ")).findFirst().orElseThrow();
            assertEquals(c.klAfterFromBefore(), Double.parseDouble(kl.split(" ")[4]), 1e-5, name + ": " + kl);
            pBefore[engine == Engine.NATIVE ? 0 : 1] = rows.get(0)[1];
        }
        GgmlType type;
        try (GgufFile g = GgufFile.open(model)) {
            type = Gpt2Gguf.of(g).weightType();
        }
        assertEquals(pBefore[0], pBefore[1], type == GgmlType.F32 ? 1e-5 : 2e-3,
                type + ": the engines' p before of the top token");
    }

    /** {@code gpt2 patch} from the prompt itself, of the residual stream and of {@code head}, moves nothing on both engines. */
    static void assertPatchingFromItselfChangesNothing(Path model, String head) {
        for (String engine : List.of("native", "java")) {
            Cli.Result r = Cli.run("patch", "-m", model.toString(), "--engine", engine, "--from", PROMPT, "--patch-residual", "1",
                    "--patch-head", head, "-t", "1", PROMPT);
            assertEquals(0, r.code(), r.err());
            assertEquals(10, rows(r).size(), r.out());
            for (double[] row : rows(r)) {
                assertEquals(0.0, row[3], 1e-4, engine + ": " + r.out());
                assertEquals(row[1], row[2], 1e-5, engine + ": " + r.out());
            }
            assertTrue(r.out().matches("(?s).*KL\\(after \\|\\| before\\) = 0\\.0000\\d\\d nats.*"), engine + ": " + r.out());
        }
    }

    @Test
    void ablatingAHeadPrintsTheLibrarysBeforeAndAfterOnBothEngines() {
        assertAblationPrintsTheLibrarys(Cli.tinyModel(), 0, 1);
    }

    @Test
    void patchingAPromptFromItselfChangesNothing() {
        Cli.Result r = Cli.run("patch", "-m", Cli.model(), "--from", PROMPT, "--patch-residual", "1", "--patch-head", "1.2", PROMPT);
        assertEquals(0, r.code(), r.err());
        for (double[] row : rows(r)) {
            assertEquals(0.0, row[3], 1e-4, r.out());
        }
        assertTrue(r.out().matches("(?s).*KL\\(after \\|\\| before\\) = 0\\.0000\\d\\d nats.*"), r.out());
    }

    @Test
    void onAConvertedHuggingFaceModelAblationIsTheLibrarysAndSelfPatchingChangesNothingOnBothEngines(@TempDir Path tmp) {
        for (String type : List.of("f32", "f16")) {
            Path model = tmp.resolve("hf-gpt2-" + type + ".gguf");
            ConvertCommandTest.converted("gpt2", model, "--type", type);
            // 2 layers of 4 heads: the last head of the last block
            assertAblationPrintsTheLibrarys(model, 1, 3);
            assertPatchingFromItselfChangesNothing(model, "0.3");
        }
    }

    @Test
    void onTheDefaultModelAblationIsTheLibrarysAndSelfPatchingChangesNothingOnBothEngines() {
        // 6 layers of 4 heads
        assertAblationPrintsTheLibrarys(Cli.defaultModel(), 5, 3);
        assertPatchingFromItselfChangesNothing(Cli.defaultModel(), "2.1");
    }

    @Test
    void anUnknownHeadOfTheDefaultModelNamesItsRange() {
        Cli.Result r = Cli.run("patch", "-m", Cli.defaultModel().toString(), "--ablate", "6.0", PROMPT);
        assertEquals(Gpt2Cli.EXIT_USAGE, r.code(), r.err());
        assertEquals(List.of("gpt2 patch: --ablate takes BLOCK.HEAD with BLOCK in 0..5 and HEAD in 0..3, was '6.0' "
                + "(see 'gpt2 patch --help')"), r.errLines());
    }

    @Test
    void misuseIsOneLineAndExitCode2() {
        for (String[] args : List.of(
                new String[] {"patch", "-m", Cli.model(), "--patch-head", "0.1", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--ablate", "9.0", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--ablate", "0-1", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--from", "x", "--patch-residual", "3", PROMPT},
                new String[] {"patch", "-m", Cli.model(), "--from", "x", "--patch-residual", "1", "--position", "99", PROMPT},
                new String[] {"patch", "-m", Cli.model(), PROMPT})) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--"), r.err());
        }
    }
}
